"""Durations and clock times in few characters: '45m', '2h 10m', 'tomorrow 03:10'.

Its own small copy rather than ui/formatting.py's `relative`: that module loads Rich, and glance is plain text.
"""

from __future__ import annotations

import math
import time

MINUTE = 60
HOUR = 3_600
DAY = 86_400


def duration(seconds: float) -> str:
    """'45s', '12m', '2h 10m', '1h', '3d 4h' (whole units, rounded down); a negative duration reads as 0s."""
    if isinstance(seconds, float) and not math.isfinite(seconds):
        return "?"
    total = max(0, int(seconds))
    if total < MINUTE:
        return f"{total}s"
    minutes = total // MINUTE
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h" if hours and days < 10 else f"{days}d"


def compact_duration(seconds: float) -> str:
    """At most six characters for a table cell: '<1m', '12m', '2h5m', '3d4h', '>999d'."""
    if isinstance(seconds, float) and not math.isfinite(seconds):
        return "?"
    if seconds < MINUTE:
        return "<1m"
    if seconds >= 1000 * DAY:
        return ">999d"
    return duration(seconds).replace(" ", "")


def clock_time(moment: float, now: float) -> str:
    """'14:05' today, 'tomorrow 03:10', 'Thu 09:00' within the week, '2026-12-24 09:00' further, in local time."""
    try:
        when = time.localtime(moment)
        today = time.localtime(now)
    except (OverflowError, OSError, ValueError):
        return "?"
    hour_minute = time.strftime("%H:%M", when)
    days_apart = _day_number(when) - _day_number(today)
    if days_apart == 0:
        return hour_minute
    if days_apart == 1:
        return f"tomorrow {hour_minute}"
    if days_apart == -1:
        return f"yesterday {hour_minute}"
    if 1 < days_apart < 7:
        return f"{time.strftime('%a', when)} {hour_minute}"
    return time.strftime("%Y-%m-%d %H:%M", when)


def _day_number(moment: time.struct_time) -> int:
    """Days since an arbitrary epoch for the local calendar date, so two dates subtract across months."""
    year = moment.tm_year - 1
    return year * 365 + year // 4 - year // 100 + year // 400 + moment.tm_yday
