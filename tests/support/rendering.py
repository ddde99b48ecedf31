"""What the terminal would show: renderables and widgets as plain text, the screen's rendered strips, and checks
that server text stays inert."""

from __future__ import annotations

import io
import re

from rich.console import Console, RenderableType
from textual.app import App
from textual.geometry import Region
from textual.widget import Widget

from batchtui.ui.widgets.status_line import StatusLine

# Anything a terminal acts on rather than prints: C0 (except none: even \t and \n never belong in a cell), DEL, C1.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def plain_text(renderable: RenderableType, width: int = 120) -> str:
    """What a renderable says, as plain text, the way a terminal of `width` would show it."""
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def widget_text(widget, width: int = 120) -> str:
    """What a Static-like widget's content says, as plain text at `width`."""
    return plain_text(widget.content, width)


def status_where(app_or_screen, width: int = 200) -> str:
    """The status line's left half (where you are) as plain text, before the line cuts it to the terminal."""
    return plain_text(_status_line(app_or_screen).page_info, width)


def status_fetch(app_or_screen, width: int = 200) -> str:
    """The status line's right half (how fresh the data is) as plain text."""
    return plain_text(_status_line(app_or_screen).fetch_info, width)


def _status_line(app_or_screen) -> StatusLine:
    screen = app_or_screen.screen if isinstance(app_or_screen, App) else app_or_screen
    return screen.query_one(StatusLine)


def screen_lines(app: App) -> list[str]:
    """The current screen as the terminal shows it, one string per row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def widget_lines(widget: Widget) -> list[str]:
    """Every line a widget renders at its current size, including lines scrolled out of view."""
    width, height = widget.size
    return [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]


def assert_terminal_safe(app: App, *, screenshot: bool = True) -> None:
    """No character from the server reaches the terminal as a control, and nothing became a link."""
    for row, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            if segment.control:
                continue  # cursor moves Textual itself emits, not text
            found = CONTROL.search(segment.text)
            assert found is None, f"control character {found.group()!r} on screen row {row}: {segment.text!r}"
            assert segment.style is None or not segment.style.link, f"a link on screen row {row}: {segment.style.link}"
    if not screenshot:
        return
    svg = app.export_screenshot()
    assert CONTROL.search(svg.replace("\n", "")) is None, "a control character in the screenshot"
