"""File objects: uploaded ones kept as bytes, and the input/output/error files of simulated batches,
generated line by line on demand so a 50,000-request file is never held in memory."""

from __future__ import annotations

import enum
import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from batchtui.sim import response_bodies
from batchtui.sim.ids import hex_id
from batchtui.sim.lifecycle import BatchPlan, Phase

BATCH_FILE_RETENTION_SECONDS = 30 * 86400
CHUNK_BYTES = 64 * 1024
EXPIRED_ERROR = {
    "code": "batch_expired",
    "message": "This request could not be executed before the completion window expired.",
}


class FileKind(enum.StrEnum):
    INPUT = "input"
    OUTPUT = "output"
    ERROR = "error"


@dataclass(frozen=True)
class UploadedFile:
    id: str
    filename: str
    purpose: str
    created_at: int
    expires_at: int | None
    content: bytes

    def json(self) -> dict:
        return file_json(self.id, len(self.content), self.created_at, self.expires_at, self.filename, self.purpose)


def file_json(file_id: str, size: int, created_at: int, expires_at: int | None, filename: str, purpose: str) -> dict:
    return {
        "id": file_id,
        "object": "file",
        "bytes": size,
        "created_at": created_at,
        "expires_at": expires_at,
        "filename": filename,
        "purpose": purpose,
        "status": "processed",
        "status_details": None,
    }


def generated_file_json(plan: BatchPlan, kind: FileKind, phase: Phase, size: int) -> dict:
    if kind is FileKind.INPUT:
        created = int(plan.created_at) - 5  # uploaded just before the batch was created
        expires = created + BATCH_FILE_RETENTION_SECONDS
        return file_json(plan.input_file_id, size, created, expires, plan.input_filename, "batch")
    created = int(phase.ended_at or plan.created_at)
    file_id = plan.output_file_id if kind is FileKind.OUTPUT else plan.error_file_id
    filename = f"{plan.id}_{kind.value}.jsonl"
    return file_json(file_id, size, created, created + plan.output_expires_seconds, filename, "batch_output")


def generated_lines(plan: BatchPlan, kind: FileKind, phase: Phase) -> Iterator[bytes]:
    """The file's JSONL lines; deterministic, so a second pass yields the same bytes as the first."""
    rng = random.Random(f"{plan.seed}:{kind.value}")
    if kind is FileKind.INPUT:
        yield from _input_lines(plan, rng)
    else:
        yield from _result_lines(plan, kind, phase, rng)


def chunked(lines: Iterable[bytes], chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes]:
    """Group lines into socket-sized writes."""
    buffer: list[bytes] = []
    buffered = 0
    for line in lines:
        buffer.append(line)
        buffered += len(line)
        if buffered >= chunk_bytes:
            yield b"".join(buffer)
            buffer, buffered = [], 0
    if buffer:
        yield b"".join(buffer)


def _input_lines(plan: BatchPlan, rng: random.Random) -> Iterator[bytes]:
    for index in range(plan.total):
        body = response_bodies.request_body(plan.endpoint, plan.model, index, rng)
        yield _line({"custom_id": plan.custom_id(index), "method": "POST", "url": plan.endpoint, "body": body})


def _result_lines(plan: BatchPlan, kind: FileKind, phase: Phase, rng: random.Random) -> Iterator[bytes]:
    started = phase.in_progress_at or plan.created_at
    for position in range(phase.executed):
        failed = plan.fails_at(position)
        if failed != (kind is FileKind.ERROR):
            continue
        created = int(started + plan.in_progress_seconds * position / max(plan.total, 1))
        if failed:
            status_code, body = response_bodies.failure(rng)
        else:
            status_code = 200
            body = response_bodies.success_body(plan.endpoint, plan.model, created, plan.tokens, rng)
        response = {"status_code": status_code, "request_id": hex_id(rng, "req_"), "body": body}
        yield _result_line(plan, position, rng, response, None)
    if kind is FileKind.ERROR and phase.status == "expired":
        for position in range(phase.executed, plan.total):
            yield _result_line(plan, position, rng, None, EXPIRED_ERROR)


def _result_line(
    plan: BatchPlan, position: int, rng: random.Random, response: dict | None, error: dict | None
) -> bytes:
    custom_id = plan.custom_id(plan.input_index(position))
    return _line({"id": hex_id(rng, "batch_req_"), "custom_id": custom_id, "response": response, "error": error})


def _line(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
