"""A tiny loopback server for GET /v1/files/{id}/content, sending files from a directory with sendfile().

It does almost no work per byte, so a download measures the client, not the server.
Usage: python file_server.py DIRECTORY KEY
"""

import re
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

DIRECTORY = Path(sys.argv[1])
KEY = sys.argv[2]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        match = re.fullmatch(r"/v1/files/([\w.-]+)/content", urlsplit(self.path).path)
        path = DIRECTORY / f"{match.group(1)}.jsonl" if match else None
        if self.headers.get("authorization") != f"Bearer {KEY}":
            self._error(401, b'{"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error"}}')
        elif path is None or not path.is_file():
            self._error(404, b'{"error": {"message": "No such file.", "type": "invalid_request_error"}}')
        else:
            with path.open("rb") as file:
                self.send_response(200)
                self.send_header("content-type", "application/octet-stream")
                self.send_header("content-length", str(path.stat().st_size))
                self.end_headers()
                self.connection.sendfile(file)

    def _error(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
threading.Timer(3600, server.shutdown).start()  # never outlives a forgotten run by more than an hour
print(f"bench file server serving http://127.0.0.1:{server.server_address[1]}/v1", flush=True)
server.serve_forever(poll_interval=0.1)
