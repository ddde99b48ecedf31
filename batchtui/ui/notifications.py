"""Telling the user a batch has finished: which batches did, in what words, and the bytes a terminal turns
into a desktop notification. No Textual here; the main screen writes what these return."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence

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


def osc_protocol(environ: Mapping[str, str]) -> str:
    """Which one sequence this terminal turns into a desktop notification: "777" or "9".

    Sending both made terminals that know both (WezTerm, Ghostty) show two bubbles. OSC 777 is what
    VTE terminals (GNOME Terminal, Tilix), foot and urxvt understand; OSC 9 everyone else who has one
    (iTerm2, WezTerm, Ghostty, kitty, Windows Terminal, ConEmu).
    """
    term = environ.get("TERM", "")
    if environ.get("VTE_VERSION") or term.startswith(("foot", "rxvt")):
        return "777"
    return "9"


def desktop_notification(text: str, environ: Mapping[str, str] | None = None) -> str:
    """The desktop notification this terminal understands, then the bell; inside tmux, passed through it."""
    environ = os.environ if environ is None else environ
    body = notification_text(text)
    osc = f"777;notify;{APP_NAME};{body}" if osc_protocol(environ) == "777" else f"9;{body}"
    sequence = f"\x1b]{osc}\x1b\\"
    if environ.get("TMUX"):
        # tmux keeps OSC sequences to itself; wrapped like this it hands them on (with allow-passthrough on).
        sequence = "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    return sequence + BELL


def finished_summary(batches: Sequence[Batch]) -> str:
    """One notice for what ended in one refresh: a bulk cancel of twelve rings once, not twelve times."""
    if len(batches) == 1:
        return finished_text(batches[0])
    shown = ", ".join(f"{clean(batch.id)} {clean(batch.status)}" for batch in batches[:3])
    more = f" and {len(batches) - 3} more" if len(batches) > 3 else ""
    return f"{len(batches)} batches finished: {shown}{more}"
