"""Batches stored as given rather than simulated: hostile text, foreign dialects, test fixtures."""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass


@dataclass
class RawBatch:
    """A batch served exactly as given (hostile or odd shapes), except for a cancel the client asked for."""

    data: dict
    cancel_requested_at: float | None = None

    @property
    def status(self) -> object:
        return self.data.get("status")

    def cancellable(self) -> bool:
        normalised = str(self.status).lower().replace("_", "")
        return normalised in {"validating", "inprogress", "finalizing"}

    def json(self, now: float, cancel_seconds: float) -> dict:
        batch = copy.deepcopy(self.data)
        if self.cancel_requested_at is None:
            return batch
        # Answer in the batch's own dialect: Azure capitalises statuses and writes ISO timestamps.
        capitalised = isinstance(self.status, str) and self.status[:1].isupper()
        iso = isinstance(batch.get("created_at"), str)

        def stamp(moment: float) -> int | str:
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment)) if iso else int(moment)

        batch["cancelling_at"] = stamp(self.cancel_requested_at)
        done = now >= self.cancel_requested_at + cancel_seconds
        if done:
            batch["cancelled_at"] = stamp(self.cancel_requested_at + cancel_seconds)
        status = "cancelled" if done else "cancelling"
        batch["status"] = status.capitalize() if capitalised else status
        return batch
