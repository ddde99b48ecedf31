"""Checks on what clients send: the create-batch body, uploaded forms, and the lines of an input file."""

from __future__ import annotations

import json
from dataclasses import dataclass

from batchtui.sim.errors import ApiError, shorten
from batchtui.sim.lifecycle import window_seconds
from batchtui.sim.multipart import FormPart

# Its own copy, not batchtui.api.endpoints: the simulator plays the server and must not share the client's view.
CREATE_ENDPOINTS = (
    "/v1/responses",
    "/v1/chat/completions",
    "/v1/embeddings",
    "/v1/completions",
    "/v1/moderations",
    "/v1/images/generations",
    "/v1/images/edits",
    "/v1/videos",
)
CREATE_FIELDS = frozenset({"input_file_id", "endpoint", "completion_window", "metadata", "output_expires_after"})
FILE_PURPOSES = ("assistants", "batch", "fine-tune", "vision", "user_data", "evals")
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_REQUESTS = 50_000
MAX_REPORTED_LINE_ERRORS = 10  # the real API reports the first few bad lines, not all of them
EXPIRY_SECONDS = (3600, 2_592_000)


@dataclass(frozen=True)
class BatchRequest:
    input_file_id: str
    endpoint: str
    completion_window: str
    metadata: dict[str, str] | None
    output_expires_seconds: int | None


@dataclass(frozen=True)
class InputSummary:
    custom_ids: list[str]
    model: str | None
    errors: list[dict]


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes
    expires_seconds: int | None


def parse_create_request(body: bytes) -> BatchRequest:
    payload = _json_object(body)
    unknown = sorted(set(payload) - CREATE_FIELDS)
    if unknown:
        raise ApiError(400, f"Unrecognized request argument supplied: {shorten(unknown[0])}", code="unknown_parameter")
    input_file_id = _required_string(payload, "input_file_id")
    endpoint = _required_string(payload, "endpoint")
    if endpoint not in CREATE_ENDPOINTS:
        raise _invalid("endpoint", endpoint, f"Supported values are: {', '.join(CREATE_ENDPOINTS)}.")
    completion_window = _required_string(payload, "completion_window")
    if window_seconds(completion_window) is None:
        raise _invalid("completion_window", completion_window, "Supported values are: '24h'.")
    return BatchRequest(
        input_file_id=input_file_id,
        endpoint=endpoint,
        completion_window=completion_window,
        metadata=_metadata(payload.get("metadata")),
        output_expires_seconds=_expires_after(payload.get("output_expires_after"), "output_expires_after"),
    )


def parse_upload(form: dict[str, FormPart]) -> Upload:
    file_part = form.get("file")
    if file_part is None or file_part.filename is None:
        raise _missing("file")
    purpose_part = form.get("purpose")
    if purpose_part is None:
        raise _missing("purpose")
    purpose = purpose_part.content.decode("utf-8", "replace")
    if purpose not in FILE_PURPOSES:
        raise _invalid("purpose", purpose, f"Supported values are: {', '.join(FILE_PURPOSES)}.")
    if purpose != "batch":
        raise ApiError(
            400,
            f"The simulator only stores files with purpose 'batch', not '{purpose}'.",
            param="purpose",
            code="unsupported_purpose",
        )
    if not file_part.filename.endswith(".jsonl"):
        raise ApiError(
            400, "Invalid file format for Batch API. Must be .jsonl", param="file", code="invalid_file_format"
        )
    if len(file_part.content) > MAX_UPLOAD_BYTES:
        raise ApiError(
            400, "File is larger than the 200 MB limit of the Batch API.", param="file", code="file_too_large"
        )
    try:
        file_part.content.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "The file is not valid UTF-8 text.", param="file", code="invalid_file_format") from None
    expires = _upload_expiry(form)
    return Upload(filename=file_part.filename, content=file_part.content, expires_seconds=expires)


def inspect_input(content: bytes, endpoint: str) -> InputSummary:
    """What validation of a batch input file finds: its custom_ids, its model, and errors by line."""
    custom_ids: list[str] = []
    seen: set[str] = set()
    models: set[str] = set()
    errors: list[dict] = []

    def report(line: int, code: str, message: str, param: str | None) -> None:
        if len(errors) < MAX_REPORTED_LINE_ERRORS:
            errors.append({"code": code, "message": message, "param": param, "line": line})

    for number, raw in enumerate(content.decode("utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            request = json.loads(raw)
        except json.JSONDecodeError:
            report(number, "invalid_json_line", "This line is not parseable as valid JSON.", None)
            continue
        if not isinstance(request, dict):
            report(number, "invalid_request", "Each line must be a JSON object.", None)
            continue
        custom_id = request.get("custom_id")
        if not isinstance(custom_id, str) or not custom_id:
            report(number, "missing_required_parameter", "Missing required parameter: 'custom_id'.", "custom_id")
            continue
        if custom_id in seen:
            report(
                number,
                "duplicate_custom_id",
                "The custom_id for this request is a duplicate of another request.",
                "custom_id",
            )
        if request.get("method") != "POST":
            report(number, "invalid_request", "The method for each request must be 'POST'.", "method")
        if request.get("url") != endpoint:
            report(
                number,
                "mismatched_endpoint",
                f"The url for this request does not match the batch endpoint '{endpoint}'.",
                "url",
            )
        body = request.get("body")
        if not isinstance(body, dict):
            report(number, "invalid_request", "Missing required parameter: 'body'.", "body")
        elif isinstance(body.get("model"), str):
            models.add(body["model"])
        seen.add(custom_id)
        custom_ids.append(custom_id)

    if not custom_ids and not errors:
        report(1, "empty_file", "The input file contains no requests.", None)
    if len(custom_ids) > MAX_REQUESTS:
        report(
            MAX_REQUESTS + 1,
            "too_many_requests",
            f"The input file contains more than the {MAX_REQUESTS:,} requests allowed per batch.",
            None,
        )
    if len(models) > 1:
        report(1, "mixed_models", "All requests in a batch must use the same model.", "body.model")
    return InputSummary(custom_ids=custom_ids, model=min(models) if models else None, errors=errors)


def _json_object(body: bytes) -> dict:
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        payload = None
    if not isinstance(payload, dict):
        raise ApiError(
            400,
            "We could not parse the JSON body of your request. The body must be a JSON object.",
            code="invalid_json",
        )
    return payload


def _required_string(payload: dict, name: str) -> str:
    value = payload.get(name)
    if value is None:
        raise _missing(name)
    if not isinstance(value, str):
        raise ApiError(400, f"Invalid type for '{name}': expected a string.", param=name, code="invalid_type")
    return value


def _metadata(value: object) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ApiError(400, "Invalid type for 'metadata': expected an object.", param="metadata", code="invalid_type")
    if len(value) > 16:
        raise ApiError(
            400,
            f"Invalid 'metadata': too many properties. Expected at most 16, got {len(value)}.",
            param="metadata",
            code="object_above_max_properties",
        )
    for key, item in value.items():
        if len(key) > 64:
            raise ApiError(
                400,
                "Invalid 'metadata': keys may be at most 64 characters long.",
                param="metadata",
                code="string_above_max_length",
            )
        if not isinstance(item, str):
            raise ApiError(
                400,
                f"Invalid type for 'metadata.{shorten(key)}': expected a string.",
                param=f"metadata.{key}",
                code="invalid_type",
            )
        if len(item) > 512:
            raise ApiError(
                400,
                f"Invalid 'metadata.{shorten(key)}': values may be at most 512 characters long.",
                param=f"metadata.{key}",
                code="string_above_max_length",
            )
    return dict(value)


def _expires_after(value: object, param: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, dict) or value.get("anchor") != "created_at":
        raise ApiError(
            400,
            f"Invalid '{param}': expected {{'anchor': 'created_at', 'seconds': ...}}.",
            param=param,
            code="invalid_value",
        )
    return _expiry_seconds(value.get("seconds"), f"{param}.seconds")


def _upload_expiry(form: dict[str, FormPart]) -> int | None:
    anchor = form.get("expires_after[anchor]")
    seconds = form.get("expires_after[seconds]")
    if anchor is None and seconds is None:
        return None
    if anchor is None or anchor.content != b"created_at":
        raise _invalid(
            "expires_after[anchor]",
            "" if anchor is None else anchor.content.decode("utf-8", "replace"),
            "Supported values are: 'created_at'.",
        )
    raw = None if seconds is None else seconds.content.decode("utf-8", "replace")
    return _expiry_seconds(int(raw) if raw is not None and raw.isdigit() else raw, "expires_after[seconds]")


def _expiry_seconds(seconds: object, param: str) -> int:
    low, high = EXPIRY_SECONDS
    if not isinstance(seconds, int) or isinstance(seconds, bool) or not low <= seconds <= high:
        raise ApiError(
            400, f"Invalid '{param}': expected an integer between {low} and {high}.", param=param, code="invalid_value"
        )
    return seconds


def _missing(name: str) -> ApiError:
    return ApiError(400, f"Missing required parameter: '{name}'.", param=name, code="missing_required_parameter")


def _invalid(param: str, value: str, hint: str) -> ApiError:
    return ApiError(400, f"Invalid value for '{param}': '{shorten(value)}'. {hint}", param=param, code="invalid_value")
