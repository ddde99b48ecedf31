"""The HTTP side: a ThreadingHTTPServer whose handler turns sockets into Requests and Replies into bytes."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from batchtui.sim.errors import ApiError
from batchtui.sim.request_log import RecordedRequest, RequestLog
from batchtui.sim.routes import Dispatcher, Reply, Request, error_reply
from batchtui.sim.validation import MAX_UPLOAD_BYTES

MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024  # an upload at the limit, plus its form envelope


class SimHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], dispatcher: Dispatcher, log: RequestLog) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.dispatcher = dispatcher
        self.log = log
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request, client_address):  # type: ignore[no-untyped-def]
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):  # type: ignore[no-untyped-def]
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address):  # type: ignore[no-untyped-def]
        # A client that hangs up mid-answer is normal here, and a traceback on stderr would
        # scribble over the dashboard running in the same terminal.
        pass

    def close_connections(self) -> None:
        """End keep-alive connections too, so no request is served after stop()."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by the client
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the API and httpx's pool expect
    server_version = "batchtui-sim"
    timeout = 120  # an idle keep-alive connection gives its thread back after this
    disable_nagle_algorithm = True  # headers and body go out in separate writes: no 40 ms stalls
    server: SimHTTPServer

    def do_GET(self) -> None:
        self._serve()

    do_HEAD = do_POST = do_DELETE = do_PUT = do_PATCH = do_OPTIONS = do_GET

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        # Silent: in --demo the dashboard owns the terminal.
        pass

    def _serve(self) -> None:
        url = urlsplit(self.path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        query = {name: values[-1] for name, values in parse_qs(url.query, keep_blank_values=True).items()}
        try:
            body = self._read_body(headers)
        except ApiError as error:
            self.close_connection = True  # the unread body is still on the socket
            body, reply = b"", error_reply(error)
        else:
            reply = self._dispatch(Request(self.command, url.path, query, headers, body))
        status = 0 if reply.drop else reply.status
        self.server.log.record(
            RecordedRequest(
                self.command, url.path, query, headers, body, status, reply.fault, client_port=self.client_address[1]
            )
        )
        if reply.delay > 0:
            time.sleep(reply.delay)
        if reply.drop:
            self.close_connection = True
            return
        try:
            self._send(reply)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _dispatch(self, request: Request) -> Reply:
        try:
            return self.server.dispatcher.handle(request)
        except Exception as error:  # noqa: BLE001 - a simulator bug: answer like a server would, keep serving
            return error_reply(
                ApiError(500, f"Simulator error: {type(error).__name__}: {error}", error_type="server_error")
            )

    def _read_body(self, headers: dict[str, str]) -> bytes:
        try:
            if headers.get("transfer-encoding", "").lower() == "chunked":
                return self._read_chunked()
            length = int(headers.get("content-length") or 0)
        except ValueError:
            raise ApiError(
                400, "Malformed request framing (Content-Length or chunk size).", code="invalid_request_framing"
            ) from None
        if length > MAX_BODY_BYTES:
            raise ApiError(413, "Request body too large.", code="request_too_large")
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        received = 0
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            received += size
            if received > MAX_BODY_BYTES:
                raise ApiError(413, "Request body too large.", code="request_too_large")
            parts.append(self.rfile.read(size))
            self.rfile.readline()

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("content-type", reply.content_type)
        self.send_header("content-length", str(reply.length if reply.chunks is not None else len(reply.body)))
        self.send_header("x-request-id", f"req_{uuid.uuid4().hex}")
        self.send_header("openai-version", "2020-10-01")
        self.send_header("openai-processing-ms", "12")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        if reply.chunks is None:
            self.wfile.write(reply.body)
            return
        for chunk in reply.chunks:
            self.wfile.write(chunk)
