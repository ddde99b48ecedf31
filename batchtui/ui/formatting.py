"""Pure helpers that turn batch data into safe, compact text for the screen.

Server text is data: everything from the server goes through `clean()` (or
`safe_text()`) and into `rich.text.Text`, never into a markup string, so `[bold]`
stays literal, an escape sequence cannot reach the terminal, and a server's line
breaks, separators and bidi overrides show as symbols: a string is one line
wherever it is shown, so it cannot forge a row of its own.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Mapping
from decimal import Decimal

from rich.cells import cell_len
from rich.style import StyleType
from rich.text import Text

from batchtui.api.models import RequestCounts

# Whatever can break, reorder or hide part of a line: C0, DEL, C1, U+2028/9, bidi controls, zero-width and invisible marks.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␊ for a line feed, ␛ for ESC, ␀ for NUL
    if code == 0x7F:
        return "␡"
    return f"⟨U+{code:04X}⟩"


def clean(value: object) -> str:
    """Server text made harmless and kept on one line: every character above shown as a symbol, never acted on."""
    text = "" if value is None else str(value)
    return _UNSAFE.sub(_picture, text)


def truncate(text: str, width: int) -> str:
    """Cut to `width` terminal cells (wide characters count double), ending in an ellipsis."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    out: list[str] = []
    used = 0
    for char in text:
        size = cell_len(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + "…"


def safe_text(value: object, style: StyleType = "", width: int | None = None) -> Text:
    """Server text as one cleaned line: cut to `width` cells, or free to wrap where there is no width."""
    text = clean(value)
    if width is not None:
        text = truncate(text, width)
    return Text(text, style=style, no_wrap=width is not None, overflow="ellipsis")


def relative(seconds: float) -> str:
    """'3s', '5m', '2h 10m', '3d 4h' for a duration; absurd values still read as something."""
    # An int is always finite, and can be beyond a float's range (JSON numbers have no limit).
    if isinstance(seconds, float) and not math.isfinite(seconds):
        return "?"
    seconds = abs(int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, sec = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m" if minutes >= 10 or not sec else f"{minutes}m {sec}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    days, hours = divmod(hours, 24)
    if days < 365:
        return f"{days}d {hours}h" if hours and days < 10 else f"{days}d"
    return f"{days // 365}y"


def age(timestamp: int | None, now: float) -> str:
    if timestamp is None:
        return "—"
    delta = int(now) - timestamp  # integers: `now - timestamp` overflows for a timestamp past a float's range
    return f"{relative(delta)} ago" if delta >= 0 else f"in {relative(delta)}"


def table_age(timestamp: int | None, now: float) -> str:
    """A table cell's age: seconds only in a batch's first minute, then whole minutes ("6m", not "6m 30s").

    Each refresh redraws the rows whose cells changed, and an age in seconds changes at every refresh: a whole
    page of young batches was drawn again every five seconds for a figure the detail pane gives exactly."""
    if timestamp is None:
        return "—"
    delta = int(now) - timestamp
    shown = abs(delta) if abs(delta) < 60 else abs(delta) // 60 * 60
    return relative(shown) if delta >= 0 else f"in {relative(shown)}"


def local_time(timestamp: int | None) -> str:
    if timestamp is None:
        return "—"
    try:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(timestamp))
    except (OverflowError, OSError, ValueError):
        return f"{timestamp} (not a valid time)"


def percent(counts: RequestCounts | None) -> float | None:
    """Fraction finished, 0..1, or None when the server did not give enough to tell."""
    if counts is None or not counts.total or counts.total <= 0:
        return None
    finished = counts.finished
    if finished is None:
        return None
    # Clamp before dividing: a huge `finished` over a small total overflows a float.
    if finished <= 0:
        return 0.0
    if finished >= counts.total:
        return 1.0
    return finished / counts.total


def progress_bar(fraction: float, width: int, fill_style: StyleType = "") -> Text:
    """A bar of `width` cells: eighth-blocks for the done part on a thin track."""
    eighths = "▏▎▍▌▋▊▉"
    filled = fraction * width
    full = int(filled)
    rest = int((filled - full) * 8)
    done = "█" * full + (eighths[rest - 1] if rest and full < width else "")
    bar = Text()
    bar.append(done, style=fill_style)
    bar.append("─" * (width - cell_len(done)), style="dim")
    return bar


def compact(value: int) -> str:
    """Exact below 10,000, then 17.4k and 1.2M: the table has room for the shape, the detail pane for the digits."""
    if abs(value) < 10_000:
        return f"{value:,}"
    if abs(value) < 1_000_000:
        return f"{value / 1000:.1f}".removesuffix(".0") + "k"
    if abs(value) < 1_000_000_000:
        return f"{value / 1_000_000:.1f}".removesuffix(".0") + "M"
    # Absurd counts: short, and Decimal because an int past a float's range cannot be divided into one.
    return f"{Decimal(value):.1e}"


def progress_cell(
    counts: RequestCounts | None, *, counting: bool = False, bar_width: int = 6, fill_style: StyleType = ""
) -> Text:
    """Bar, percentage, finished/total and failures; `counting` while the server has not counted yet."""
    fraction = percent(counts)
    if counts is None or fraction is None:
        if counting:
            return Text("counting requests…", style="dim")
        if counts is not None and counts.total == 0:
            return Text("0 requests", style="dim")
        return Text("—", style="dim")
    text = progress_bar(fraction, bar_width, fill_style)
    text.append(f" {fraction * 100:3.0f}% ")
    text.append(f"{compact(counts.finished or 0)}/{compact(counts.total)}", style="dim")
    if counts.failed:
        text.append(f" ✗{compact(counts.failed)}", style="bold")
    return text


def metadata_summary(metadata: Mapping[str, str] | None, width: int) -> Text:
    if not metadata:
        return Text("")
    joined = ", ".join(f"{clean(key)}={clean(value)}" for key, value in metadata.items())
    return Text(truncate(joined, width), no_wrap=True)


def thousands(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"
