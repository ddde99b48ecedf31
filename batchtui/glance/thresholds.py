"""When a batch counts as stuck: every threshold in one place, settable from the config file's [stuck] table."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class StuckThresholds:
    validating_minutes: float = 30  # still validating after this long
    in_progress_idle_minutes: float = 30  # in_progress with no new completed or failed request for this long
    finalizing_minutes: float = 60  # still finalizing after this long
    cancelling_minutes: float = 20  # still cancelling after this long
    expiry_window_minutes: float = 120  # less than this left before expires_at ...
    expiry_done_percent: float = 90  # ... with less than this share of the requests done

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The setting names, as the config file spells them."""
        return tuple(field.name for field in fields(cls))


DEFAULT_THRESHOLDS = StuckThresholds()
