"""Pydantic models for the Batch and Files API.

The spec types most fields as plain strings and integers, but servers send them
absent or null (docs/batch-api.md, "The batch object"), and new fields and statuses appear over time. So only
the seven fields the API always sends are required, every other field is
optional, unknown fields are kept, and values are coerced leniently: Azure sends
ISO-8601 timestamps and capitalised statuses, gateways send strings for numbers.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from batchtui.api import statuses
from batchtui.api.lenient import lenient_int, normalise_status, parse_timestamp


def _required_status(value: Any) -> str:
    status = normalise_status(value)
    if status is None:
        raise ValueError("a batch needs a status")
    return status


def _lenient_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, bool)):
        return str(value)
    return None


Timestamp = Annotated[int | None, BeforeValidator(parse_timestamp)]
Count = Annotated[int | None, BeforeValidator(lenient_int)]
Text = Annotated[str | None, BeforeValidator(_lenient_text)]


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class RequestCounts(_Lenient):
    total: Count = None
    completed: Count = None
    failed: Count = None

    @property
    def finished(self) -> int | None:
        """Requests that have ended either way, or None when the server did not say."""
        if self.completed is None and self.failed is None:
            return None
        return (self.completed or 0) + (self.failed or 0)


class InputTokensDetails(_Lenient):
    cached_tokens: Count = None


class OutputTokensDetails(_Lenient):
    reasoning_tokens: Count = None


class Usage(_Lenient):
    input_tokens: Count = None
    input_tokens_details: InputTokensDetails | None = None
    output_tokens: Count = None
    output_tokens_details: OutputTokensDetails | None = None
    total_tokens: Count = None

    @field_validator("input_tokens_details", "output_tokens_details", mode="before")
    @classmethod
    def _drop_non_objects(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else None


class BatchError(_Lenient):
    code: Text = None
    message: Text = None
    param: Text = None
    line: Count = None


class BatchErrors(_Lenient):
    object: Text = None
    data: list[BatchError] = Field(default_factory=list)

    @field_validator("data", mode="before")
    @classmethod
    def _objects_only(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return []
        return [item for item in value if isinstance(item, dict)]


def _object_or_none(value: Any) -> Any:
    return value if isinstance(value, dict) else None


def _metadata(value: Any) -> dict[str, str] | None:
    if not isinstance(value, dict):
        return None
    return {str(key): "" if item is None else str(item) for key, item in value.items()}


class Batch(_Lenient):
    """One batch job. Only what the API always sends is required."""

    id: str
    object: Text = "batch"
    endpoint: str
    input_file_id: str
    completion_window: str
    status: Annotated[str, BeforeValidator(_required_status)]
    created_at: Annotated[int, BeforeValidator(parse_timestamp)]

    model: Text = None
    errors: Annotated[BatchErrors | None, BeforeValidator(_object_or_none)] = None
    output_file_id: Text = None
    error_file_id: Text = None
    in_progress_at: Timestamp = None
    expires_at: Timestamp = None
    finalizing_at: Timestamp = None
    completed_at: Timestamp = None
    failed_at: Timestamp = None
    expired_at: Timestamp = None
    cancelling_at: Timestamp = None
    cancelled_at: Timestamp = None
    request_counts: Annotated[RequestCounts | None, BeforeValidator(_object_or_none)] = None
    usage: Annotated[Usage | None, BeforeValidator(_object_or_none)] = None
    metadata: Annotated[dict[str, str] | None, BeforeValidator(_metadata)] = None

    @property
    def is_terminal(self) -> bool:
        return self.status in statuses.TERMINAL

    @property
    def is_cancellable(self) -> bool:
        return self.status in statuses.CANCELLABLE

    @property
    def is_known_status(self) -> bool:
        return self.status in statuses.KNOWN

    @property
    def extra_fields(self) -> dict[str, Any]:
        """Fields this version of batchtui does not know, kept so they can be shown."""
        return dict(self.model_extra or {})

    # The JSON object this batch was read from, untouched: the local index keeps what the server sent.
    _raw: dict[str, Any] | None = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_raw(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Batch:
        batch: Batch = handler(value)
        if isinstance(value, dict):
            batch._raw = value
        return batch

    @property
    def raw(self) -> dict[str, Any]:
        """The batch as the server sent it (or, for one built in code, as this model would send it)."""
        return self._raw if self._raw is not None else self.model_dump(mode="json", exclude_none=True)


class BatchPage(_Lenient):
    """One page of GET /batches. Cursors are ids; there is no 'before'."""

    data: list[Batch]
    first_id: Text = None
    last_id: Text = None
    has_more: bool = False
    # Items the server sent that lacked what every batch must have; counted, not shown.
    unreadable: int = Field(default=0, exclude=True)

    @field_validator("has_more", mode="before")
    @classmethod
    def _bool(cls, value: Any) -> Any:
        # bool("false") is True: a server sending has_more as a string would be paged forever.
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return bool(value) if value is not None else False

    @property
    def next_cursor(self) -> str | None:
        """The `after` for the next page: last_id, or the last item's id when a server omits it."""
        if self.last_id:
            return self.last_id
        return self.data[-1].id if self.data else None


class FileObject(_Lenient):
    id: str
    object: str = "file"
    bytes: Count = None
    created_at: Timestamp = None
    expires_at: Timestamp = None
    filename: Text = None
    purpose: Text = None
    status: Text = None
