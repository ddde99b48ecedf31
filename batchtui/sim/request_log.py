"""Every request the simulator answered, for tests and benchmarks to inspect."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # as sent, without the query string
    query: dict[str, str]
    headers: dict[str, str]  # names lowercased
    body: bytes
    status: int  # 0: the connection was dropped without a response
    fault: str | None = None  # the injected fault (a FaultKind value, or "create_timeout")
    client_port: int = 0  # the connection it came on: requests sharing one reused a kept-alive connection


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[RecordedRequest] = []

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._entries.append(request)

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
