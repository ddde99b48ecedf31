"""From an HTTP request to a Reply: prefixes, auth, faults, routing. No sockets here."""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote

from batchtui.sim.errors import ApiError
from batchtui.sim.faults import FaultInjector, FaultKind
from batchtui.sim.store import Store

# Longest first: "/openai/v1/batches" must lose "/openai/v1", not just "/openai".
PREFIXES = ("/openai/v1", "/v1", "/openai")
NGINX_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)
GARBAGE_BODIES = (
    b"<!DOCTYPE html><html><body>Service temporarily unavailable</body></html>",
    b'{"object": "list", "data": [{"id": "batch_',
    b"OK",
    b"",
)
WRONG_SHAPES: tuple[object, ...] = (
    {"data": "oops"},
    [],
    None,
    {"object": "list", "data": [{"id": 42}], "has_more": "yes"},
)


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    chunks: Iterator[bytes] | None = None  # when set, streamed instead of body; `length` bytes in all
    length: int | None = None
    delay: float = 0.0  # seconds to wait before answering
    drop: bool = False  # close the connection instead of answering
    fault: str | None = None


def json_reply(status: int, payload: object, **headers: str) -> Reply:
    return Reply(status, json.dumps(payload, ensure_ascii=False).encode(), headers=headers)


def error_reply(error: ApiError) -> Reply:
    return json_reply(error.status, error.body())


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


Handler = Callable[[Request, tuple[str, ...]], Reply]


class Dispatcher:
    def __init__(self, store: Store, api_key: str | None) -> None:
        self._store = store
        self._api_key = api_key
        self.faults: FaultInjector | None = None
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = [
            ("GET", re.compile(r"/batches"), self._list_batches),
            ("POST", re.compile(r"/batches"), self._create_batch),
            ("GET", re.compile(r"/batches/([^/]+)"), lambda _, ids: json_reply(200, store.get_batch(*ids))),
            ("POST", re.compile(r"/batches/([^/]+)/cancel"), lambda _, ids: json_reply(200, store.cancel_batch(*ids))),
            ("POST", re.compile(r"/files"), self._upload_file),
            ("GET", re.compile(r"/files/([^/]+)"), lambda _, ids: json_reply(200, store.get_file(*ids))),
            ("DELETE", re.compile(r"/files/([^/]+)"), lambda _, ids: json_reply(200, store.delete_file(*ids))),
            ("GET", re.compile(r"/files/([^/]+)/content"), self._file_content),
        ]

    def handle(self, request: Request) -> Reply:
        injector = self.faults
        fault = injector.draw(mutating=request.method not in {"GET", "HEAD"}) if injector else None
        if injector is not None and fault is not None and fault is not FaultKind.SLOW:
            return _fault_reply(fault, injector)
        try:
            self._authorize(request.headers)
            reply = self._route(request)
        except ApiError as error:
            reply = error_reply(error)
        if injector is not None and fault is FaultKind.SLOW:
            reply.delay, reply.fault = injector.uniform(*injector.config.slow_seconds), fault.value
        return reply

    def _authorize(self, headers: dict[str, str]) -> None:
        if self._api_key is None:
            return
        bearer = headers.get("authorization", "")
        offered = bearer[7:] if bearer[:7].lower() == "bearer " else headers.get("api-key", "")
        if not hmac.compare_digest(offered.encode(), self._api_key.encode()):
            # The real message quotes part of the key; this one never echoes it.
            raise ApiError(401, "Incorrect API key provided.", code="invalid_api_key")

    def _route(self, request: Request) -> Reply:
        path = _strip_prefix(request.path)
        if path is None:
            raise _unknown_url(request)
        allowed: list[str] = []
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            if method == request.method:
                return handler(request, tuple(unquote(group) for group in match.groups()))
            allowed.append(method)
        if not allowed:
            raise _unknown_url(request)
        reply = error_reply(
            ApiError(
                405,
                f"Method not allowed: {request.method} {request.path}. Allowed: {', '.join(allowed)}.",
                code="method_not_allowed",
            )
        )
        reply.headers["allow"] = ", ".join(allowed)
        return reply

    def _list_batches(self, request: Request, _: tuple[str, ...]) -> Reply:
        stuck = self.faults is not None and self.faults.config.stuck_cursor
        page = self._store.list_batches(request.query.get("after"), request.query.get("limit"), stuck=stuck)
        return json_reply(200, page)

    def _create_batch(self, request: Request, _: tuple[str, ...]) -> Reply:
        reply = json_reply(200, self._store.create_batch(request.body))
        injector = self.faults
        if injector is not None and injector.take_create_timeout():
            # Created server-side; the client never hears about it (or hears too late).
            delay = injector.config.create_timeout_delay
            reply.drop, reply.delay, reply.fault = delay <= 0, delay, "create_timeout"
        return reply

    def _upload_file(self, request: Request, _: tuple[str, ...]) -> Reply:
        return json_reply(200, self._store.upload_file(request.headers.get("content-type", ""), request.body))

    def _file_content(self, _: Request, ids: tuple[str, ...]) -> Reply:
        size, chunks = self._store.file_content(*ids)
        return Reply(200, content_type="application/octet-stream", chunks=chunks, length=size)


def _strip_prefix(path: str) -> str | None:
    for prefix in PREFIXES:
        if path.startswith(prefix + "/"):
            return path[len(prefix) :]
    return None


def _unknown_url(request: Request) -> ApiError:
    return ApiError(404, f"Invalid URL ({request.method} {request.path})", code="unknown_url")


def _fault_reply(fault: FaultKind, injector: FaultInjector) -> Reply:
    if fault is FaultKind.RATE_LIMIT:
        seconds = injector.randint(*injector.config.retry_after_seconds)
        headers = {
            "retry-after": str(seconds),
            "x-ratelimit-limit-requests": "5000",
            "x-ratelimit-remaining-requests": "0",
            "x-ratelimit-reset-requests": f"{seconds}s",
        }
        if injector.randint(0, 1):
            headers["retry-after-ms"] = str(seconds * 1000)
        reply = json_reply(
            429,
            _error_body(
                f"Rate limit reached for requests. Please try again in {seconds}s.", "requests", "rate_limit_exceeded"
            ),
            **headers,
        )
    elif fault is FaultKind.SERVER_ERROR:
        reply = json_reply(
            500,
            _error_body(
                "The server had an error while processing your request. Sorry about that!", "server_error", None
            ),
        )
    elif fault is FaultKind.BAD_GATEWAY:
        reply = Reply(502, NGINX_502, content_type="text/html")
    elif fault is FaultKind.UNAVAILABLE:
        reply = json_reply(
            503,
            _error_body("The engine is currently overloaded, please try again later.", "server_error", "overloaded"),
        )
    elif fault is FaultKind.GARBAGE:
        reply = Reply(200, GARBAGE_BODIES[injector.randint(0, len(GARBAGE_BODIES) - 1)])
    elif fault is FaultKind.WRONG_SHAPE:
        reply = json_reply(200, WRONG_SHAPES[injector.randint(0, len(WRONG_SHAPES) - 1)])
    else:
        reply = Reply(0, drop=True)
    reply.fault = fault.value
    return reply


def _error_body(message: str, error_type: str, code: str | None) -> dict:
    return {"error": {"message": message, "type": error_type, "param": None, "code": code}}
