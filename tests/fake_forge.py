"""A stand-in for the part of GitHub's and GitLab's REST APIs the review comment uses: the
comments of one pull or merge request, listed by page, posted and edited."""
from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeForge:
    """Serves the comments at ``collection`` (a path) to a caller that sends ``auth``
    (header, value); every call is recorded. With ``status`` other than 200, every call
    gets that status (403: a fork's read-only token)."""

    def __init__(self, collection: str, auth: tuple[str, str], item: str | None = None,
                 status: int = 200):
        self.comments: list[dict] = []
        self.calls: list[str] = []
        item = item or collection   # where one comment is edited: ITEM/<id>
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, code: int, data) -> None:
                body = json.dumps(data).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def answer(self) -> None:
                fake.calls.append(f"{self.command} {self.path}")
                path = self.path.split("?")[0]
                if status != 200:
                    return self.reply(status, {"message": "Resource not accessible"})
                if self.headers.get(auth[0]) != auth[1]:
                    return self.reply(401, {"message": "Bad credentials"})
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length)) if length else {}
                if self.command == "GET" and path == collection:
                    page = int(re.search(r"[?&]page=(\d+)", self.path).group(1))
                    return self.reply(200, fake.comments[(page - 1) * 100:page * 100])
                if self.command == "POST" and path == collection:
                    fake.comments.append({"id": len(fake.comments) + 1, "body": payload["body"],
                                          "user": "bot"})
                    return self.reply(201, fake.comments[-1])
                if self.command in ("PATCH", "PUT") and path.startswith(f"{item}/"):
                    number = int(path.rsplit("/", 1)[1])
                    comment = next(c for c in fake.comments if c["id"] == number)
                    comment["body"] = payload["body"]
                    return self.reply(200, comment)
                return self.reply(404, {"message": "Not Found"})

            do_GET = do_POST = do_PATCH = do_PUT = answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def writes(self) -> list[str]:
        """The methods of the calls that changed something, in order."""
        return [call.split()[0] for call in self.calls if not call.startswith("GET")]
