"""Typed errors for everything that can go wrong talking to a Batch API server.

Each carries what a user needs to act on it, and `describe()` turns any of them
into the one line the status bar shows. The full text (`details()`) is for the
error screen. Neither ever contains the API key: the client redacts server
text before it builds these.
"""

from __future__ import annotations

from dataclasses import dataclass


class BatchAPIError(Exception):
    """Base of every error the service layer raises."""

    def describe(self) -> str:
        return str(self)

    def details(self) -> str:
        return "\n".join(self.detail_lines())

    def detail_lines(self) -> tuple[str, ...]:
        """The error screen's rows, apart: a server's own line breaks inside one must not pass for a row."""
        return (self.describe(),)


class APIConnectionError(BatchAPIError):
    """The server could not be reached: DNS, refused, reset, TLS."""

    def __init__(self, message: str, *, url: str = "", kind: str = "connection") -> None:
        super().__init__(message)
        self.url = url
        self.kind = kind


class APITimeoutError(APIConnectionError):
    def __init__(self, message: str, *, url: str = "") -> None:
        super().__init__(message, url=url, kind="timeout")


class InvalidResponseError(BatchAPIError):
    """The server answered 2xx but with something that is not the documented shape."""

    def __init__(self, message: str, *, request_id: str | None = None, snippet: str = "") -> None:
        super().__init__(message)
        self.request_id = request_id
        self.snippet = snippet

    def detail_lines(self) -> tuple[str, ...]:
        lines = [str(self)]
        if self.request_id:
            lines.append(f"Request id: {self.request_id}")
        if self.snippet:
            lines.append(f"Body starts: {self.snippet}")
        return tuple(lines)


class PaginationStalledError(BatchAPIError):
    """has_more stayed true but the cursor stopped advancing: the server is looping."""


class AmbiguousCreateError(BatchAPIError):
    """The create request was sent but its answer was lost: a batch may or may not exist."""

    def __init__(self, message: str, *, input_file_id: str) -> None:
        super().__init__(message)
        self.input_file_id = input_file_id


class ReadOnlyError(BatchAPIError):
    """A request that would change the account, asked of a client in read-only mode: never sent."""


class RedirectRefusedError(BatchAPIError):
    """The server redirected somewhere the API key must not be sent."""


@dataclass
class ErrorBody:
    message: str
    type: str | None = None
    code: str | None = None
    param: str | None = None


class APIStatusError(BatchAPIError):
    """The server answered with a 4xx or 5xx."""

    def __init__(
        self,
        status_code: int,
        body: ErrorBody,
        *,
        request_id: str | None = None,
        retry_after: float | None = None,
        method: str = "",
        path: str = "",
    ) -> None:
        super().__init__(body.message)
        self.status_code = status_code
        self.message = body.message
        self.type = body.type
        self.code = body.code
        self.param = body.param
        self.request_id = request_id
        self.retry_after = retry_after
        self.method = method
        self.path = path

    @property
    def headline(self) -> str:
        return f"HTTP {self.status_code}"

    def describe(self) -> str:
        return f"{self.headline}: {self.message}"

    def detail_lines(self) -> tuple[str, ...]:
        lines = [self.describe()]
        if self.method or self.path:
            lines.append(f"Request: {self.method} {self.path}".rstrip())
        if self.type:
            lines.append(f"Type: {self.type}")
        if self.code:
            lines.append(f"Code: {self.code}")
        if self.param:
            lines.append(f"Param: {self.param}")
        if self.request_id:
            lines.append(f"Request id: {self.request_id} (quote it to support)")
        return tuple(lines)


class BadRequestError(APIStatusError):
    pass


class AuthenticationError(APIStatusError):
    @property
    def headline(self) -> str:
        return "API key rejected (HTTP 401)"


class PermissionDeniedError(APIStatusError):
    @property
    def headline(self) -> str:
        return "Permission denied (HTTP 403)"


class NotFoundError(APIStatusError):
    @property
    def headline(self) -> str:
        return "Not found (HTTP 404)"


class ConflictError(APIStatusError):
    pass


class UnprocessableEntityError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    @property
    def headline(self) -> str:
        return "Rate limited (HTTP 429)"


class InternalServerError(APIStatusError):
    @property
    def headline(self) -> str:
        return f"Server error (HTTP {self.status_code})"


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    if status_code >= 500:
        return InternalServerError
    return _BY_STATUS.get(status_code, APIStatusError)


def describe(error: BaseException) -> str:
    """One line for the status bar, whatever was raised."""
    if isinstance(error, BatchAPIError):
        return error.describe()
    return f"Unexpected error: {type(error).__name__}: {error}"
