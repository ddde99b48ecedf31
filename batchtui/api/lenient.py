"""Reading what servers send, leniently: statuses in any case, timestamps as numbers or ISO text, numbers as strings.

Plain functions with no pydantic, shared by the API models and the local index, so both read a batch
the same way. Servers differ (Azure sends ISO-8601 timestamps and "InProgress"; gateways send "42"):
each function returns None for what it cannot read, never raises.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def normalise_status(value: Any) -> str | None:
    """'InProgress', 'in-progress' and ' Completed ' as the API's snake_case; None when there is none."""
    if value is None or isinstance(value, (dict, list)):
        return None
    text = _CAMEL_BOUNDARY.sub("_", str(value).strip())
    return re.sub(r"[\s\-]+", "_", text).lower()


def parse_timestamp(value: Any) -> int | None:
    """Unix seconds from an int, float, numeric string or ISO-8601 string; None if unreadable."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value  # even an absurd one: isfinite() would overflow on it; callers bound it as they need
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        number = float(text)
    except ValueError:
        pass
    else:
        # "inf", "nan" and "1e400" parse as floats but are no time at all.
        return int(number) if math.isfinite(number) else None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        # A naive ISO timestamp from a server is almost always UTC.
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp())


def lenient_int(value: Any) -> int | None:
    """A count from an int, a float or a numeric string; None if unreadable."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        # int(float("inf")) raises OverflowError, which pydantic would not turn into a ValidationError.
        return int(number) if math.isfinite(number) else None
    return None
