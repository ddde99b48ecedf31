"""The error every route raises to answer with an OpenAI-style error body."""

from __future__ import annotations


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        error_type: str = "invalid_request_error",
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.code = code
        self.error_type = error_type

    def body(self) -> dict:
        return {
            "error": {
                "message": self.message,
                "type": self.error_type,
                "param": self.param,
                "code": self.code,
            }
        }


def not_found(kind: str, object_id: str) -> ApiError:
    return ApiError(404, f"No {kind} found with id '{shorten(object_id)}'.")


def shorten(text: str, limit: int = 80) -> str:
    """Caller-supplied text echoed in a message is cut, so a hostile value cannot bloat it."""
    return text if len(text) <= limit else text[:limit] + "…"
