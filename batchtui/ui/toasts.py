"""Toasts that tell the outcome of something the user did: one line, server text cleaned and cut short.

A server string can be any length (a 10,000-character id made a toast cover half the screen),
so a toast is cut to a few lines; paths and ids of normal length are shown whole.
"""

from __future__ import annotations

from typing import Literal

from textual.app import App
from textual.widget import Widget

from batchtui.ui.formatting import clean, truncate

Severity = Literal["information", "warning", "error"]

# About four lines of a toast; a saved file's full path still fits.
MAX_TOAST_CELLS = 240


def toast_text(message: str) -> str:
    """The message as a toast shows it: control characters as symbols, cut with an ellipsis."""
    return truncate(clean(message), MAX_TOAST_CELLS)


def tell(
    target: App | Widget, message: str, *, severity: Severity = "information", timeout: float = 6, title: str = ""
) -> None:
    """A toast from `target` (the app or a widget); markup off, so `[bold]` in server text stays literal."""
    target.notify(toast_text(message), title=toast_text(title), severity=severity, timeout=timeout, markup=False)
