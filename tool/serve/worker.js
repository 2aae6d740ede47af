// policyc serve: one stream of build states for every open preview page. Browsers allow
// few connections per server, so the pages share this worker's stream instead of each
// holding one of their own.
"use strict";
const pages = new Set();
let last = null;
const events = new EventSource("events");
events.addEventListener("state", (e) => {
  last = e.data;
  for (const port of pages) port.postMessage(last);
});
events.onerror = () => { last = null; };  // the server went away: its state is no longer news
onconnect = (e) => {
  const port = e.ports[0];
  pages.add(port);
  port.onmessage = (message) => { if (message.data === "close") pages.delete(port); };
  port.start();
  if (last !== null) port.postMessage(last);
};
