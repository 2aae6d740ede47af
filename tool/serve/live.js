// policyc serve: added to every page the preview sends (never to the built files).
// Follows the build state (server-sent events, shared by the open pages through a
// SharedWorker); when a new build is ready, puts the page's new version in place (the
// scroll position stays; a full reload if that fails); shows the errors of broken
// sources over the page and the check warnings in a panel that folds.
// window.policycPreview = {generation, updatedAt}: the build shown, and when it was
// first painted (ms since the epoch; null while an update is under way).
(() => {
  "use strict";
  const script = document.currentScript;
  let shown = script.dataset.generation;
  let digest = script.dataset.digest;        // of the built file this page shows, if it is one
  const base = new URL(".", script.src);
  const FOLD_KEY = "policyc-preview-warnings-open";
  const STYLE = `
    :host { all: initial; }
    * { box-sizing: border-box; }
    .backdrop { position: fixed; inset: 0; z-index: 2147483647; background: rgba(20, 20, 24, .55);
      overflow: auto; padding: 4vh 3vw; font: 15px/1.5 system-ui, "Noto Sans CJK SC", sans-serif; }
    .panel { max-width: 60rem; margin: 0 auto; background: #fff; color: #1f2328;
      border-top: 6px solid #cf222e; border-radius: 8px; padding: 1.25rem 1.5rem;
      box-shadow: 0 12px 40px rgba(0, 0, 0, .35); }
    h2 { margin: 0 2.5rem .25rem 0; font-size: 1.25rem; color: #cf222e; }
    p.hint { margin: 0 0 1rem; color: #59636e; }
    button.hide { float: right; font: inherit; font-size: 1.25rem; line-height: 1; border: 0;
      background: none; color: #59636e; cursor: pointer; padding: .25rem .5rem; }
    ol { margin: 0; padding: 0; list-style: none; }
    li { margin: 0 0 .875rem; }
    .line { font: 14px/1.45 ui-monospace, "Noto Sans Mono CJK SC", monospace; white-space: pre-wrap;
      overflow-wrap: anywhere; }
    .where { font-weight: 600; color: #0550ae; }
    .code { color: #59636e; }
    pre.excerpt { margin: .25rem 0 0; padding: .5rem .75rem; background: #f6f8fa; border-radius: 6px;
      font: 13px/1.45 ui-monospace, "Noto Sans Mono CJK SC", monospace; overflow-x: auto; }
    pre.excerpt .at { background: #ffebe9; display: block; }
    pre.excerpt mark { background: #cf222e; color: #fff; border-radius: 2px; padding: 0 1px; }
    details.warnings { margin-top: 1rem; border-top: 1px solid #d1d9e0; padding-top: .5rem; }
    details.warnings summary { cursor: pointer; color: #9a6700; font-weight: 600; }
    details.warnings ol { margin-top: .5rem; max-height: 50vh; overflow: auto; }
    .corner { position: fixed; right: 12px; bottom: 12px; z-index: 2147483646; max-width: min(46rem, 94vw);
      background: #fff8c5; color: #1f2328; border: 1px solid #d4a72c; border-radius: 8px;
      padding: .375rem .75rem; box-shadow: 0 4px 16px rgba(0, 0, 0, .18);
      font: 14px/1.45 system-ui, "Noto Sans CJK SC", sans-serif; }
    .corner details.warnings { margin: 0; border: 0; padding: 0; }
    .corner details.warnings ol { max-height: 40vh; }
  `;

  // the overlay speaks the browser's language: Chinese for zh*, else English
  const WORDS = {
    en: {
      errors: (n) => `${n} error${n === 1 ? "" : "s"} in the sources`,
      kept: "This page shows the last version that built. Fix the sources and save: the page updates by itself.",
      none: "Nothing has built yet. Fix the sources and save: the page updates by itself.",
      hide: "Hide until the errors change (Esc)",
      label: "Errors in the policy sources",
      count: (n, severity) => `${n} ${severity === "warning" ? "check warning" : severity}${n === 1 ? "" : "s"}`,
      and: ", ",
    },
    zh: {
      errors: (n) => `源文件中有 ${n} 处错误`,
      kept: "本页显示的是最后一次成功构建的版本。改正源文件并保存后，页面会自动更新。",
      none: "还没有成功构建过。改正源文件并保存后，页面会自动更新。",
      hide: "隐藏，直到错误有变化（Esc）",
      label: "政策源文件中的错误",
      count: (n, severity) => `${n} 条${{ warning: "检查警告", note: "提示" }[severity] || severity}`,
      and: "、",
    },
  };
  const words = (navigator.language || "").toLowerCase().startsWith("zh") ? WORDS.zh : WORDS.en;

  let root = null;
  let dismissed = "";
  let rendered = null;     // what the overlay shows now

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;   // text only: messages quote the sources
    return node;
  }

  function shadow() {
    if (!root) {
      const host = document.createElement("policyc-preview");
      document.documentElement.appendChild(host);
      root = host.attachShadow({ mode: "open" });
    }
    root.replaceChildren(element("style", "", STYLE));
    return root;
  }

  function diagnosticList(diagnostics, withExcerpt) {
    const list = element("ol");
    for (const d of diagnostics) {
      const item = element("li", d.severity);
      const line = element("div", "line");
      line.append(element("span", "where", d.where), ": ", element("span", "message", d.message));
      if (d.code) line.append(" ", element("span", "code", `[${d.code}]`));
      item.append(line);
      if (withExcerpt && d.excerpt && d.excerpt.length) {
        const pre = element("pre", "excerpt");
        const last = d.excerpt[d.excerpt.length - 1][0];
        for (const [number, text] of d.excerpt) {
          const row = element("span", number === last ? "at" : "", `${String(number).padStart(4)} | `);
          const chars = Array.from(text);   // code points, as the column counts them
          if (number === last && d.col > 0) {   // past the end of the line: a marked space
            row.append(chars.slice(0, d.col - 1).join(""), element("mark", "", chars[d.col - 1] || " "),
                       chars.slice(d.col).join(""));
          } else {
            row.append(text);
          }
          pre.append(row, "\n");
        }
        item.append(pre);
      }
      list.append(item);
    }
    return list;
  }

  function counted(diagnostics) {   // "48 check warnings, 2 notes"
    const counts = new Map();
    for (const d of diagnostics) counts.set(d.severity, (counts.get(d.severity) || 0) + 1);
    return [...counts].map(([severity, n]) => words.count(n, severity)).join(words.and);
  }

  function warningsPanel(warnings) {
    const details = element("details", "warnings");
    details.open = sessionStorage.getItem(FOLD_KEY) === "1";
    details.append(element("summary", "", counted(warnings)),
                   diagnosticList(warnings, false));
    details.addEventListener("toggle", () => sessionStorage.setItem(FOLD_KEY, details.open ? "1" : "0"));
    return details;
  }

  function render(state) {
    const key = JSON.stringify(state.errors);
    const shows = JSON.stringify([key === dismissed ? [] : state.errors, state.warnings]);
    if (shows === rendered) return;  // e.g. only "building" changed: leave the panels be
    rendered = shows;
    if (!state.errors.length || key === dismissed) {
      if (!state.warnings.length) { if (root) root.replaceChildren(); return; }
      const corner = element("aside", "corner");
      corner.append(warningsPanel(state.warnings));
      shadow().append(corner);
      return;
    }
    const count = state.errors.length;
    const backdrop = element("div", "backdrop");
    const panel = element("section", "panel");
    panel.setAttribute("role", "alertdialog");
    panel.setAttribute("aria-label", words.label);
    const hide = element("button", "hide", "×");
    hide.title = words.hide;
    hide.addEventListener("click", () => { dismissed = key; render(state); });
    panel.append(hide, element("h2", "", words.errors(count)),
                 element("p", "hint", state.generation ? words.kept : words.none),
                 diagnosticList(state.errors, true));
    if (state.warnings.length) panel.append(warningsPanel(state.warnings));
    backdrop.append(panel);
    shadow().append(backdrop);
  }

  window.policycPreview = { generation: shown, updatedAt: undefined };
  let current = null;
  let updating = false;

  function onState(state) {
    current = state;
    render(state);
    if (state.generation && state.generation !== shown && !state.errors.length && !updating) {
      if (digest && state.digests[decodeURIComponent(location.pathname.slice(1))] === digest) {
        shown = state.generation;  // this page's file is unchanged
        window.policycPreview = { generation: shown, updatedAt: window.policycPreview.updatedAt };
      } else {
        update();
      }
    }
  }

  function painted(generation) {
    requestAnimationFrame(() => setTimeout(() => {
      window.policycPreview = { generation, updatedAt: performance.timeOrigin + performance.now() };
    }, 0));
  }

  async function update() {
    updating = true;
    window.policycPreview = { generation: shown, updatedAt: null };
    try {
      const response = await fetch(location.href, { cache: "no-store" });
      if (!response.ok || !response.headers.get("Content-Type").startsWith("text/html")) {
        throw new Error(`HTTP ${response.status}`);
      }
      const next = new DOMParser().parseFromString(await response.text(), "text/html");
      const tag = next.querySelector('script[src$="/__policyc/live.js"]');
      if (!tag) throw new Error("not a preview page");
      tag.remove();
      const html = document.documentElement;
      for (const { name } of [...html.attributes]) html.removeAttribute(name);
      for (const { name, value } of next.documentElement.attributes) html.setAttribute(name, value);
      if (!document.head.isEqualNode(next.head)) document.head.replaceChildren(...next.head.childNodes);
      document.body.replaceWith(next.body);
      shown = tag.dataset.generation;
      digest = tag.dataset.digest;
      painted(shown);
    } catch (error) {
      location.reload();
      return;
    } finally {
      updating = false;
    }
    if (current) onState(current);  // a newer build may have come meanwhile
  }

  addEventListener("keydown", (e) => {
    if (e.key === "Escape" && current && current.errors.length) {
      dismissed = JSON.stringify(current.errors);
      render(current);
    }
  });

  if (window.SharedWorker) {
    try {
      const worker = new SharedWorker(new URL("worker.js", base), { name: "policyc-preview" });
      worker.port.onmessage = (e) => onState(JSON.parse(e.data));
      worker.port.start();
      addEventListener("pagehide", () => worker.port.postMessage("close"));
      return;
    } catch (error) { /* fall back to a stream of this page's own */ }
  }
  const events = new EventSource(new URL("events", base));
  events.addEventListener("state", (e) => onState(JSON.parse(e.data)));
})();
