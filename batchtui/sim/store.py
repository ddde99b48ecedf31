"""The simulated account: batches and files behind a lock, each read derived from the clock."""

from __future__ import annotations

import copy
import random
import threading
from collections.abc import Iterator

from batchtui.clock import Clock
from batchtui.sim import demo_data, validation
from batchtui.sim.config import SimConfig
from batchtui.sim.errors import ApiError, not_found, shorten
from batchtui.sim.files import (
    BATCH_FILE_RETENTION_SECONDS,
    FileKind,
    UploadedFile,
    chunked,
    generated_file_json,
    generated_lines,
)
from batchtui.sim.hostile import hostile_batches
from batchtui.sim.ids import alphanumeric_id, hex_id
from batchtui.sim.lifecycle import CANCELLABLE, BatchPlan, Phase, batch_json, has_error_file, has_output_file
from batchtui.sim.multipart import parse_form
from batchtui.sim.raw_batch import RawBatch

Entry = BatchPlan | RawBatch


class Store:
    def __init__(self, config: SimConfig, clock: Clock) -> None:
        self._config = config
        self._clock = clock
        # The HTTP server answers on many threads.
        self._lock = threading.Lock()
        self._entries: list[Entry] = []  # oldest first; listing walks it backwards
        self._positions: dict[str, int] = {}  # batch id -> index in _entries
        self._uploads: dict[str, UploadedFile] = {}
        self._generated: dict[str, tuple[BatchPlan, FileKind]] = {}
        self._deleted: set[str] = set()
        self._sizes: dict[str, int] = {}
        self._rng = random.Random(f"live:{config.seed}")
        self._arrival_rng = random.Random(f"arrivals:{config.seed}")
        now = clock.now()
        for plan in demo_data.seeded_plans(config, now):
            self._append(plan)
        if config.hostile:
            for batch in hostile_batches(now):
                self._append(RawBatch(batch))
        self._next_arrival = self._arrival_after(now) if config.arrival_seconds and config.batch_count else None

    # Batches

    def list_batches(self, after: str | None, limit: str | None, *, stuck: bool = False) -> dict:
        with self._lock:
            now = self._tick()
            page_size = self._page_size(limit)
            start = len(self._entries) - 1
            if after is not None and not stuck:
                if after not in self._positions:
                    raise ApiError(
                        400,
                        f"Invalid 'after': no batch found with id '{shorten(after)}'.",
                        param="after",
                        code="invalid_cursor",
                    )
                start = self._positions[after] - 1
            stop = max(start - page_size, -1)
            data = [self._batch_json(self._entries[i], now) for i in range(start, stop, -1)]
        return {
            "object": "list",
            "data": data,
            "first_id": data[0].get("id") if data else None,
            "last_id": data[-1].get("id") if data else None,
            "has_more": stuck or stop >= 0,
        }

    def get_batch(self, batch_id: str) -> dict:
        with self._lock:
            now = self._tick()
            return self._batch_json(self._find_batch(batch_id), now)

    def cancel_batch(self, batch_id: str) -> dict:
        with self._lock:
            now = self._tick()
            entry = self._find_batch(batch_id)
            if isinstance(entry, BatchPlan):
                if entry.phase(now).status in CANCELLABLE:
                    entry.cancel(now, self._config.cancel_seconds)
            elif entry.cancel_requested_at is None and entry.cancellable():
                entry.cancel_requested_at = now
            batch = self._batch_json(entry, now)
            status = batch.get("status")
            if status not in {"cancelling", "Cancelling"}:
                raise ApiError(
                    409, f"Cannot cancel a batch with status '{shorten(str(status))}'.", code="batch_not_cancellable"
                )
            return batch

    def create_batch(self, body: bytes) -> dict:
        request = validation.parse_create_request(body)
        with self._lock:
            now = self._tick()
            summary = self._inspect_input_file(request.input_file_id, request.endpoint, now)
            plan = self._created_plan(request, summary, now)
            self._append(plan)
            return batch_json(plan, now)

    def add_raw_batch(self, batch: dict) -> dict:
        with self._lock:
            self._append(RawBatch(copy.deepcopy(batch)))
            return copy.deepcopy(batch)

    def batches(self) -> list[dict]:
        with self._lock:
            now = self._tick()
            return [self._batch_json(entry, now) for entry in reversed(self._entries)]

    # Files

    def upload_file(self, content_type: str, body: bytes) -> dict:
        upload = validation.parse_upload(parse_form(content_type, body))
        with self._lock:
            created = int(self._tick())
            retention = upload.expires_seconds or BATCH_FILE_RETENTION_SECONDS
            stored = UploadedFile(
                id=alphanumeric_id(self._rng, "file-"),
                filename=upload.filename,
                purpose="batch",
                created_at=created,
                expires_at=created + retention,
                content=upload.content,
            )
            self._uploads[stored.id] = stored
            return stored.json()

    def get_file(self, file_id: str) -> dict:
        with self._lock:
            if file_id in self._uploads:
                return self._uploads[file_id].json()
            plan, kind, phase = self._generated_file(file_id, self._tick())
        return generated_file_json(plan, kind, phase, self._generated_size(file_id, plan, kind, phase))

    def file_content(self, file_id: str) -> tuple[int, Iterator[bytes]]:
        """Size and chunks; a generated file is produced line by line as it is sent."""
        with self._lock:
            if file_id in self._uploads:
                content = self._uploads[file_id].content
                return len(content), chunked([content])
            plan, kind, phase = self._generated_file(file_id, self._tick())
        size = self._generated_size(file_id, plan, kind, phase)
        return size, chunked(generated_lines(plan, kind, phase))

    def delete_file(self, file_id: str) -> dict:
        with self._lock:
            now = self._tick()
            if file_id in self._deleted:
                raise not_found("file", file_id)
            if file_id not in self._uploads:
                self._generated_file(file_id, now)
            self._uploads.pop(file_id, None)
            self._deleted.add(file_id)
            return {"id": file_id, "object": "file", "deleted": True}

    # Internals

    def _tick(self) -> float:
        """Read the clock and let due arrivals in."""
        now = self._clock.now()
        interval = self._config.arrival_seconds
        while self._next_arrival is not None and interval and self._next_arrival <= now:
            plan = demo_data.arrival_plan(self._config, self._next_arrival, self._arrival_rng)
            # After a long jump of the clock, let only the recent ones in rather than hundreds.
            if now - self._next_arrival <= 3 * interval:
                self._append(plan)
            self._next_arrival = self._arrival_after(self._next_arrival)
        return now

    def _arrival_after(self, moment: float) -> float:
        assert self._config.arrival_seconds
        return moment + self._config.arrival_seconds * self._arrival_rng.uniform(0.5, 1.5)

    def _append(self, entry: Entry) -> None:
        batch_id = entry.id if isinstance(entry, BatchPlan) else entry.data.get("id")
        if batch_id is not None:
            self._positions[str(batch_id)] = len(self._entries)
        self._entries.append(entry)
        if isinstance(entry, BatchPlan):
            if entry.custom_ids is None:
                self._generated[entry.input_file_id] = (entry, FileKind.INPUT)
            self._generated[entry.output_file_id] = (entry, FileKind.OUTPUT)
            self._generated[entry.error_file_id] = (entry, FileKind.ERROR)

    def _find_batch(self, batch_id: str) -> Entry:
        position = self._positions.get(batch_id)
        if position is None:
            raise not_found("batch", batch_id)
        return self._entries[position]

    def _batch_json(self, entry: Entry, now: float) -> dict:
        if isinstance(entry, BatchPlan):
            return batch_json(entry, now)
        return entry.json(now, self._config.cancel_seconds)

    def _page_size(self, limit: str | None) -> int:
        if limit is None:
            return self._config.page_limit_default
        try:
            size = int(limit)
        except ValueError:
            raise ApiError(
                400,
                f"Invalid 'limit': expected an integer, but got '{shorten(limit)}' instead.",
                param="limit",
                code="invalid_type",
            ) from None
        if size < 1:
            raise ApiError(
                400,
                f"Invalid 'limit': integer below minimum value. Expected a value >= 1, but got {size} instead.",
                param="limit",
                code="integer_below_min_value",
            )
        maximum = self._config.page_limit_max
        if size > maximum:
            raise ApiError(
                400,
                f"Invalid 'limit': integer above maximum value. Expected a value <= {maximum}, but got {size} instead.",
                param="limit",
                code="integer_above_max_value",
            )
        return size

    def _generated_size(self, file_id: str, plan: BatchPlan, kind: FileKind, phase: Phase) -> int:
        """Counted once, outside the lock: a finished batch never changes, and a big file takes a while."""
        with self._lock:
            size = self._sizes.get(file_id)
        if size is None:
            size = sum(len(line) for line in generated_lines(plan, kind, phase))
            with self._lock:
                self._sizes[file_id] = size
        return size

    def _generated_file(self, file_id: str, now: float) -> tuple[BatchPlan, FileKind, Phase]:
        if file_id in self._deleted or file_id not in self._generated:
            raise not_found("file", file_id)
        plan, kind = self._generated[file_id]
        phase = plan.phase(now)
        exists = {
            FileKind.INPUT: True,
            FileKind.OUTPUT: has_output_file(plan, phase),
            FileKind.ERROR: has_error_file(plan, phase),
        }[kind]
        if not exists:
            raise not_found("file", file_id)
        return plan, kind, phase

    def _inspect_input_file(self, file_id: str, endpoint: str, now: float) -> validation.InputSummary:
        def invalid(message: str) -> ApiError:
            return ApiError(400, message, param="input_file_id", code="invalid_input_file")

        if file_id in self._uploads and file_id not in self._deleted:
            return validation.inspect_input(self._uploads[file_id].content, endpoint)
        if file_id in self._generated and file_id not in self._deleted:
            plan, kind = self._generated[file_id]
            if kind is not FileKind.INPUT:
                raise invalid(f"File '{file_id}' has purpose 'batch_output'; a batch needs purpose 'batch'.")
            if plan.endpoint != endpoint:
                raise invalid(f"File '{file_id}' holds requests for '{plan.endpoint}', not '{endpoint}'.")
            custom_ids = [plan.custom_id(index) for index in range(plan.total)]
            return validation.InputSummary(custom_ids=custom_ids, model=plan.model, errors=[])
        raise invalid(f"Invalid 'input_file_id': file '{shorten(file_id)}' does not exist.")

    def _created_plan(
        self, request: validation.BatchRequest, summary: validation.InputSummary, now: float
    ) -> BatchPlan:
        rng = self._rng
        validating, in_progress, finalizing = demo_data.live_durations(self._config, rng)
        total = len(summary.custom_ids)
        return BatchPlan(
            id=hex_id(rng, "batch_"),
            endpoint=request.endpoint,
            model=summary.model,
            input_file_id=request.input_file_id,
            output_file_id=alphanumeric_id(rng, "file-"),
            error_file_id=alphanumeric_id(rng, "file-"),
            completion_window=request.completion_window,
            created_at=now,
            total=total,
            validating_seconds=validating,
            in_progress_seconds=in_progress,
            finalizing_seconds=finalizing,
            failure_rate=rng.uniform(0.0, 0.03),
            tokens=demo_data.tokens_for(request.endpoint, summary.model, rng),
            metadata=request.metadata,
            seed=rng.getrandbits(32),
            custom_ids=summary.custom_ids,
            validation_errors=summary.errors or None,
            output_expires_seconds=request.output_expires_seconds or BATCH_FILE_RETENTION_SECONDS,
            cancel_seconds=self._config.cancel_seconds,
            order_stride=demo_data.coprime_stride(rng, total),
            order_offset=rng.randrange(total) if total else 0,
        )
