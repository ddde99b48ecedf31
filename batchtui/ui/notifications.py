"""Telling the user a batch has finished: which batches did, in what words, and the bytes a terminal turns
into a desktop notification. No Textual here; the main screen writes what these return."""

from __future__ import annotations

from collections.abc import Iterable

from batchtui.api import statuses
from batchtui.api.models import Batch
from batchtui.ui.formatting import clean, thousands, truncate

# Terminals show a notification's text in a small bubble; a server string can be any length.
MAX_NOTIFICATION_CELLS = 160
APP_NAME = "batchtui"
BELL = "\a"


class TransitionWatch:
    """Fed every batch the screen receives; returns those that went from active (seen so by us) to terminal.

    Once per batch: a batch first seen finished is never reported, and one seen finished is never
    active again for us, so a stale copy (the index, an old page) cannot report it a second time.
    """

    def __init__(self) -> None:
        self._active: set[str] = set()
        self._ended: set[str] = set()

    def see(self, batches: Iterable[Batch]) -> list[Batch]:
        finished = []
        for batch in batches:
            if batch.id in self._ended:
                continue
            if batch.status in statuses.TERMINAL:
                self._ended.add(batch.id)
                if batch.id in self._active:
                    self._active.discard(batch.id)
                    finished.append(batch)
            elif batch.status in statuses.ACTIVE:
                self._active.add(batch.id)
        return finished


def finished_text(batch: Batch) -> str:
    """'batch_abc completed: 2,400 done, 3 failed' (cleaned, not yet cut)."""
    text = f"{clean(batch.id)} {clean(batch.status)}"
    counts = batch.request_counts
    if counts is not None and (counts.completed is not None or counts.failed is not None):
        text += f": {thousands(counts.completed or 0)} done, {thousands(counts.failed or 0)} failed"
    return text


def notification_text(text: str) -> str:
    """Safe inside an OSC string: no control character (ESC, BEL, ST), no ';' to end a field, cut short."""
    return truncate(clean(text), MAX_NOTIFICATION_CELLS).replace(";", ",")


def desktop_notification(text: str) -> str:
    """OSC 777 (urxvt, foot, WezTerm, Ghostty), OSC 9 (iTerm2, Windows Terminal, kitty), then the bell."""
    body = notification_text(text)
    return f"\x1b]777;notify;{APP_NAME};{body}\x1b\\" + f"\x1b]9;{body}\x1b\\" + BELL
