"""What every modal shares: it fits a small terminal, and a question hears only keys typed once it is on screen.

A user who types a shell command into the still-running app (`echo hello⏎`) must not answer a dialog
that `c` opened: keys already typed when a question appears are dropped, wherever they are on their way.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar, TypeVar

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input

ResultType = TypeVar("ResultType")

# Breakpoint classes the stylesheet uses: -narrow stacks buttons, -short drops borders and padding.
NARROW_BELOW = 50
SHORT_BELOW = 20


def event_clock() -> float:
    """Now, on the clock Textual stamps every event's `time` with."""
    return Message().time


class Dialog(ModalScreen[ResultType]):
    """A modal sized by the stylesheet, with classes that say when the terminal is narrow or short."""

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-narrow"), (NARROW_BELOW, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-short"), (SHORT_BELOW, "-tall")]


class Question(Dialog[ResultType]):
    """A dialog that asks something. It hears only keys typed after it was painted.

    Keys typed before that are dropped on every road they can take:
    - to this screen or a widget on it: `on_key` drops those stamped before the first paint;
    - to the screen behind, typed before this one was pushed: they come back up to the app and meet this
      screen's bindings without passing `on_key`, so `check_action` refuses everything until they have
      all arrived (`_drain` follows their road), and nothing here takes focus before that.
    Subclasses name their safe choice in `first_focus`, and handle no keys themselves.
    """

    AUTO_FOCUS = ""  # focus waits until the question is on screen and the keys typed ahead are gone
    BINDINGS: ClassVar[list[Binding]] = [
        # Screen binds these to app actions, which this screen's check_action cannot hold back.
        Binding("tab", "focus_next", "Next", show=False),
        Binding("shift+tab", "focus_previous", "Previous", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        # When this screen was last painted: keys stamped earlier were typed before anyone could read it.
        self.shown_at: float | None = None
        # True once every key typed before it came up has reached the app and been refused.
        self.listening = False
        self._return_focus: Widget | None = None

    def ask(self, app: App[object]) -> asyncio.Future[ResultType | None]:
        """Push the question now, so the next key read meets it; the answer is awaited in a worker.

        `push_screen_wait` from a worker pushes only once the worker runs: keys read before then go
        to the screen behind, and its bindings act on them.
        """
        answer: asyncio.Future[ResultType | None] = asyncio.get_running_loop().create_future()

        def answered(result: ResultType | None) -> None:
            if not answer.done():
                answer.set_result(result)

        app.push_screen(self, answered)
        return answer

    def first_focus(self) -> Widget | None:
        """The widget that takes keys first: the safe choice."""
        return None

    def typed_ahead(self, event: events.Key) -> bool:
        return self.shown_at is None or event.time < self.shown_at

    def on_key(self, event: events.Key) -> None:
        if self.typed_ahead(event):
            event.stop()
            event.prevent_default()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.listening

    def action_focus_next(self) -> None:
        self.focus_next()

    def action_focus_previous(self) -> None:
        self.focus_previous()

    def on_screen_resume(self) -> None:
        self.shown_at = None
        self.listening = False
        self.call_after_refresh(self._painted)
        self._drain(self._road_of_typed_keys())

    def on_screen_suspend(self) -> None:
        self._return_focus = self.focused
        self.set_focus(None)

    def _road_of_typed_keys(self) -> list[MessagePump]:
        """Where keys typed before this screen came up may still be: the focused widget behind, up to the app."""
        stack = self.app.screen_stack
        behind = stack[-2] if len(stack) > 1 and stack[-1] is self else None
        if behind is None:
            return [self.app, self]
        start: Widget = behind.focused or behind
        return [*start.ancestors_with_self, self]

    def _drain(self, road: list[MessagePump]) -> None:
        # Each stop's queue is first in first out: a callback queued there runs after the keys queued before it.
        while road:
            stop, *road = road
            if stop.call_later(self._drain, road):
                return
        self.listening = True
        self._take_focus()

    def _painted(self) -> None:
        self.shown_at = event_clock()
        self._take_focus()

    def _take_focus(self) -> None:
        if self.shown_at is None or not self.listening or self.focused is not None:
            return
        target = self._return_focus if self._return_focus is not None and self._return_focus.is_attached else None
        target = target or self.first_focus()
        if target is not None:
            self.set_focus(target)


class QuestionInput(Input):
    """An Input inside a Question: keys typed before the question was on screen are not inserted,
    and Enter submits the text as it was when Enter was typed."""

    async def on_key(self, event: events.Key) -> None:
        screen = self.screen
        if isinstance(screen, Question) and screen.typed_ahead(event):
            event.stop()
            event.prevent_default()
        elif event.key == "enter":
            # Input's Enter binding runs only once the key has gone up to the app: a `y` typed right
            # after it (for the overwrite question) would already have replaced the selected text.
            event.stop()
            event.prevent_default()
            await self.action_submit()
