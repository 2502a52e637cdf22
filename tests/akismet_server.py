"""
A small Akismet-protocol server for tests: stdlib ThreadingHTTPServer on
127.0.0.1 with a free port. Set `server.mode` to choose how comment-check
answers; every request is recorded in `server.requests` (path + form body).

Modes: ham, spam, discard, invalid (key), error500, slow (sleeps `slow_seconds`
before answering ham), garbage (an unexpected body), drop (closes the
connection without answering), recheck (ham plus X-akismet-recheck-after),
alert (ham plus X-akismet-alert-code/msg), error_header (ham plus
X-akismet-error), trickle (the answer's header lines one at a time, with
`trickle_seconds` between them) and trickle_body (headers at once, then the
body in five pieces, as slowly): each piece comes well inside a per-read
timeout, the whole answer long after it. Trickle modes slow submit-spam /
submit-ham too. `delay` adds a pause before every answer (for benchmarks).
"""

import dataclasses
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

SUBMITTED = "Thanks for making the web a better place."


@dataclasses.dataclass
class RecordedRequest:
    path: str
    form: dict[str, str]
    headers: dict[str, str]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without TCP_NODELAY, Nagle
    # plus the client's delayed ACK would add ~40 ms to every answer.
    disable_nagle_algorithm = True
    server: "AkismetServer"

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace")
        form = {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
        self.server.requests.append(
            RecordedRequest(
                self.path, form, {k.lower(): v for k, v in self.headers.items()}
            )
        )
        if self.server.delay:
            time.sleep(self.server.delay)
        mode = self.server.mode
        path = self.path.rstrip("/")
        if path.endswith("/verify-key"):
            return self._answer("invalid" if mode == "invalid" else "valid")
        if path.endswith(("/submit-spam", "/submit-ham")):
            if mode == "error500":
                return self._answer("Internal error", status=500)
            if mode in _TRICKLE_MODES:
                return self._trickle(SUBMITTED, body_only=mode == "trickle_body")
            return self._answer(SUBMITTED)
        if not path.endswith("/comment-check"):
            return self._answer("Not found", status=404)
        self._comment_check(mode)

    def _comment_check(self, mode: str) -> None:
        guid = {"X-akismet-guid": uuid.uuid4().hex}
        if mode == "ham":
            self._answer("false", guid)
        elif mode == "spam":
            self._answer("true", guid)
        elif mode == "discard":
            self._answer("true", {**guid, "X-akismet-pro-tip": "discard"})
        elif mode == "invalid":
            self._answer(
                "invalid", {"X-akismet-debug-help": "We were unable to verify the key"}
            )
        elif mode == "error500":
            self._answer("Internal Server Error", status=500)
        elif mode == "slow":
            time.sleep(self.server.slow_seconds)
            self._answer("false", guid)
        elif mode == "garbage":
            self._answer("<html><body>Gateway says hello</body></html>", guid)
        elif mode == "drop":
            self.close_connection = True
            self.connection.close()
        elif mode == "recheck":
            self._answer("false", {**guid, "X-akismet-recheck-after": "120"})
        elif mode == "alert":
            self._answer(
                "false",
                {
                    **guid,
                    "X-akismet-alert-code": "10003",
                    "X-akismet-alert-msg": "Your subscription has lapsed.",
                },
            )
        elif mode == "error_header":
            self._answer("false", {**guid, "X-akismet-error": "Something broke"})
        elif mode in _TRICKLE_MODES:
            self._trickle("false", body_only=mode == "trickle_body", headers=guid)
        else:
            raise ValueError(f"unknown mode {mode!r}")

    def _answer(self, body: str, headers: dict | None = None, status: int = 200):
        data = body.encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            # The client gave up (timeout test): nothing to answer.
            self.close_connection = True

    def _trickle(
        self, body: str, *, body_only: bool, headers: dict | None = None
    ) -> None:
        """A valid 200 answer in pieces `trickle_seconds` apart, each its own write."""
        data = body.encode()
        head = [
            b"HTTP/1.1 200 OK\r\n",
            b"Content-Type: text/plain; charset=utf-8\r\n",
            f"Content-Length: {len(data)}\r\n".encode(),
            *(f"{k}: {v}\r\n".encode() for k, v in (headers or {}).items()),
        ]
        if body_only:
            size = -(-len(data) // TRICKLE_BODY_PIECES)
            body_pieces = [data[i : i + size] for i in range(0, len(data), size)]
            pieces = [b"".join([*head, b"\r\n"]), *body_pieces]
        else:
            lines = [f"X-Trickle-{n}: .\r\n".encode() for n in range(TRICKLE_LINES)]
            pieces = [*head, *lines, b"\r\n" + data]
        try:
            for n, piece in enumerate(pieces):
                if n:
                    time.sleep(self.server.trickle_seconds)
                self.wfile.write(piece)
        except OSError:
            # The client gave up at its deadline: nothing more to send.
            self.close_connection = True


_TRICKLE_MODES = ("trickle", "trickle_body")
# Header lines the trickle mode dribbles (a tester's server sent 12), and
# the pieces trickle_body cuts the body into.
TRICKLE_LINES = 12
TRICKLE_BODY_PIECES = 5


class AkismetServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "ham"
        self.delay = 0.0
        self.slow_seconds = 1.0
        self.trickle_seconds = 0.25
        self.requests: list[RecordedRequest] = []
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def handle_error(self, request, client_address):
        pass  # broken pipes after client timeouts are expected

    def start(self) -> "AkismetServer":
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def reset(self, mode: str = "ham") -> None:
        self.mode = mode
        self.delay = 0.0
        self.slow_seconds = 1.0
        self.trickle_seconds = 0.25
        self.requests.clear()

    def checks(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/comment-check")]


if __name__ == "__main__":
    import sys

    server = AkismetServer().start()
    server.mode = sys.argv[1] if len(sys.argv) > 1 else "ham"
    print(server.url, flush=True)
    threading.Event().wait()
