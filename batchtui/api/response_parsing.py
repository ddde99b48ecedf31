"""What a server answered, read: a JSON body, a model, a page of batches, or the error it explains.

Every bit of server text that can reach an error passes through the Redactor first.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from batchtui.api.errors import APIStatusError, ErrorBody, InvalidResponseError, status_error_class
from batchtui.api.models import Batch, BatchPage
from batchtui.api.redaction import Redactor
from batchtui.api.retry import server_requested_wait

ModelT = TypeVar("ModelT", bound=BaseModel)


class Answer(NamedTuple):
    """A decoded JSON body and the request id that identifies it to the server's support."""

    payload: Any
    request_id: str | None


def read_answer(response: httpx.Response, method: str, redact: Redactor) -> Answer:
    request_id = redact.optional(response.headers.get("x-request-id"))
    try:
        return Answer(response.json(), request_id)
    # ValueError covers JSONDecodeError and Python's limit on the digits of an integer.
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise InvalidResponseError(
            f"The server answered {method} {response.request.url.path} with something that is not JSON.",
            request_id=request_id,
            snippet=_snippet(redact(response.text)),
        ) from None


def parse_model(model: type[ModelT], answer: Answer, what: str, redact: Redactor) -> ModelT:
    try:
        return model.model_validate(answer.payload)
    except ValidationError as error:
        raise InvalidResponseError(
            f"The server sent a {what} this client cannot read: {_validation_summary(error)}.",
            request_id=answer.request_id,
            snippet=_snippet(redact(json.dumps(answer.payload, default=str))),
        ) from None


def parse_page(answer: Answer, redact: Redactor) -> BatchPage:
    """A page keeps the batches it can read and counts the rest, unless it can read none of them."""
    payload = answer.payload
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        raise InvalidResponseError(
            "The server's batch list is not a list object (no 'data' array).",
            request_id=answer.request_id,
            snippet=_snippet(redact(json.dumps(payload, default=str))),
        )
    batches: list[Batch] = []
    unreadable = 0
    for item in payload["data"]:
        try:
            batches.append(Batch.model_validate(item))
        except ValidationError:
            unreadable += 1
    if unreadable and not batches:
        # Not an empty account: the server sent batches, none of them readable.
        raise InvalidResponseError(
            f"None of the {unreadable} batches the server sent could be read (they lack required fields).",
            request_id=answer.request_id,
            snippet=_snippet(redact(json.dumps(payload["data"][:1], default=str))),
        )
    # `unreadable` is ours: a server field of that name must not reach (and fail) validation.
    page = BatchPage.model_validate({**payload, "data": [], "unreadable": unreadable})
    page.data = batches
    return page


def status_error(response: httpx.Response, redact: Redactor) -> APIStatusError:
    """The typed error for a 4xx or 5xx; the body must have been read."""
    # Servers echo a rejected key back ("Incorrect API key provided: sk-..."), in any field.
    body = _error_body(response, redact(response.text))
    body = ErrorBody(
        message=redact(body.message),
        type=redact.optional(body.type),
        code=redact.optional(body.code),
        param=redact.optional(body.param),
    )
    error_class = status_error_class(response.status_code)
    return error_class(
        response.status_code,
        body,
        request_id=redact.optional(response.headers.get("x-request-id")),
        retry_after=server_requested_wait(response.headers),
        method=response.request.method,
        path=response.request.url.path,
    )


def _error_body(response: httpx.Response, text: str) -> ErrorBody:
    """The server's own words, from OpenAI JSON, problem+json, or anything else; `text` is the redacted body."""
    try:
        payload = response.json()
    # As in read_answer: ValueError also covers the integer digit limit, and nesting can exhaust the stack.
    except (ValueError, UnicodeDecodeError, RecursionError):
        payload = None
    if isinstance(payload, dict):
        error = payload.get("error")
        if isinstance(error, dict) and error.get("message"):
            return ErrorBody(
                message=str(error.get("message")),
                type=_str_or_none(error.get("type")),
                code=_str_or_none(error.get("code")),
                param=_str_or_none(error.get("param")),
            )
        if isinstance(error, str) and error:
            return ErrorBody(message=error)
        # RFC 7807 problem+json, as Prism and some gateways send.
        if payload.get("title") or payload.get("detail"):
            parts = [str(payload[k]) for k in ("title", "detail") if payload.get(k)]
            return ErrorBody(message=": ".join(parts), type=_str_or_none(payload.get("type")))
        if isinstance(payload.get("message"), str):
            return ErrorBody(message=payload["message"])
    content_type = response.headers.get("content-type", "")
    reason = response.reason_phrase or "error"
    if "html" in content_type or text.lstrip().lower().startswith(("<!doctype", "<html")):
        return ErrorBody(message=f"{reason} (the server or a proxy sent an HTML page instead of an API error)")
    if text.strip():
        return ErrorBody(message=f"{reason}: {_snippet(text)}")
    return ErrorBody(message=f"{reason} (empty response)")


def _snippet(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _validation_summary(error: ValidationError) -> str:
    problems = []
    for item in error.errors()[:3]:
        where = ".".join(str(part) for part in item.get("loc", ())) or "body"
        problems.append(f"{where}: {item.get('msg', 'invalid')}")
    return "; ".join(problems)


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)
