"""A small multipart/form-data parser (the `cgi` module is gone from the standard library)."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message
from email.parser import BytesHeaderParser

from batchtui.sim.errors import ApiError


@dataclass(frozen=True)
class FormPart:
    name: str
    filename: str | None
    content: bytes


def parse_form(content_type: str, body: bytes) -> dict[str, FormPart]:
    """Parts by field name; raises a 400 ApiError for anything that is not a well-formed form."""
    boundary = _boundary(content_type)
    delimiter = b"--" + boundary
    sections = body.split(delimiter)
    if len(sections) < 3 or not sections[-1].startswith(b"--"):
        raise _malformed("the body does not end with the closing boundary")
    parts: dict[str, FormPart] = {}
    for section in sections[1:-1]:
        part = _parse_part(section)
        parts[part.name] = part
    return parts


def _boundary(content_type: str) -> bytes:
    header = Message()
    header["content-type"] = content_type
    if header.get_content_type() != "multipart/form-data":
        raise ApiError(400, "Expected a multipart/form-data body.", code="invalid_content_type")
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise _malformed("the content-type has no boundary")
    return boundary.encode("latin-1")


def _parse_part(section: bytes) -> FormPart:
    if not section.startswith(b"\r\n"):
        raise _malformed("a boundary is not followed by a line break")
    head, separator, content = section[2:].partition(b"\r\n\r\n")
    if not separator or not content.endswith(b"\r\n"):
        raise _malformed("a part has no header block or no closing line break")
    headers = BytesHeaderParser().parsebytes(head + b"\r\n\r\n")
    name = headers.get_param("name", header="content-disposition")
    if not isinstance(name, str):
        raise _malformed("a part has no name")
    return FormPart(name=name, filename=headers.get_filename(), content=content[:-2])


def _malformed(reason: str) -> ApiError:
    return ApiError(400, f"Could not parse the multipart form: {reason}.", code="invalid_multipart")
