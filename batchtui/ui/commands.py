"""The command palette's commands (Ctrl+P): the screen's actions by name, and the profiles to switch to.

A command is offered exactly when its key would act: the screen's own `check_action` decides, so
the palette never offers what the footer shows dimmed (cancel on a finished batch, create in
read-only mode). Textual's own commands (Theme, Keys, Quit, ...) stay beside these.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape
from textual.screen import Screen
from textual.types import IgnoreReturnCallbackType

from batchtui.config import Settings
from batchtui.ui.formatting import clean
from batchtui.ui.keys import bindings_of, key_label


@dataclass(frozen=True)
class ScreenCommand:
    """A screen action by name. `help` is used when the screen has no binding whose tooltip says it better."""

    action: str
    title: str
    help: str
    title_when_paused: str | None = None


SCREEN_COMMANDS = (
    ScreenCommand("refresh_now", "Refresh now", "Fetch the page again now"),
    ScreenCommand("toggle_pause", "Pause auto-refresh", "Pause or resume automatic refresh", "Resume auto-refresh"),
    ScreenCommand("create_batch", "New batch", "Create a batch from a .jsonl file"),
    ScreenCommand("open_results", "Open output file", "The selected batch's output file"),
    ScreenCommand("open_errors", "Open error file", "The selected batch's error file"),
    ScreenCommand("retry_batch", "Retry file", "Build a retry file of what did not succeed"),
    ScreenCommand("cancel_batch", "Cancel batch", "Cancel the selected batch (asks first)"),
    ScreenCommand("copy_id", "Copy batch id", "Copy the selected batch id to the clipboard"),
    ScreenCommand("search", "Search", "Search every indexed batch"),
    ScreenCommand("active_only", "Active only", "Show only active batches (again: all)"),
    ScreenCommand("cycle_sort", "Sort", "Sort the search results"),
    ScreenCommand("show_error", "Error details", "Show the last error in full"),
    ScreenCommand("toggle_mark", "Mark batch", "Mark or unmark the selected batch"),
    ScreenCommand("clear_marks", "Clear marks", "Unmark every marked batch"),
    ScreenCommand("download_marked", "Save marked outputs", "Save the output files of the marked batches"),
    ScreenCommand("open_web", "Open in web dashboard", "Open the selected batch in the web dashboard"),
)


@runtime_checkable
class ProfileSwitcher(Protocol):
    """What the palette needs of the app to offer profiles (BatchApp; a Protocol, so this module imports no app)."""

    settings: Settings

    def profile_switch_refusal(self, screen: Screen[object] | None = None) -> str | None: ...

    def switch_profile(self, name: str) -> object: ...


@dataclass(frozen=True)
class Entry:
    title: str
    run: IgnoreReturnCallbackType
    help: str


def screen_entries(screen: Screen[object]) -> Iterator[Entry]:
    """The screen's actions possible now, each run through the screen as its key would run it."""
    bindings = {binding.action: binding for binding in bindings_of(screen.BINDINGS) if binding.id}
    keymap = getattr(screen.app, "keymap", {})
    for command in SCREEN_COMMANDS:
        if not hasattr(screen, f"action_{command.action}") or not screen.check_action(command.action, ()):
            continue
        title = command.title_when_paused if command.title_when_paused and getattr(screen, "paused", False) else None
        binding = bindings.get(command.action)
        help_text = (binding.tooltip if binding else "") or command.help
        if binding is not None:
            help_text = f"{help_text} · key {key_label(screen.app, binding, keymap)}"
        yield Entry(title or command.title, partial(screen.run_action, command.action), help_text)


def profile_entries(screen: Screen[object]) -> Iterator[Entry]:
    """One "Switch to profile NAME" for each profile but the one in use, when a switch is possible now."""
    app = screen.app
    if not isinstance(app, ProfileSwitcher) or app.profile_switch_refusal(screen) is not None:
        return
    settings = app.settings
    for name in settings.profile_names:
        if name != settings.profile:
            shown = clean(name)
            yield Entry(
                f"Switch to profile {shown}",
                partial(app.switch_profile, name),
                f"Show the batches of the {shown} profile's account instead",
            )


class BatchCommands(Provider):
    """The palette shows strings as markup: a profile named `[red]x` must read as typed, hence `escape`."""

    def entries(self) -> list[Entry]:
        return [*screen_entries(self.screen), *profile_entries(self.screen)]

    async def discover(self) -> Hits:
        for entry in self.entries():
            yield DiscoveryHit(escape(entry.title), entry.run, text=entry.title, help=escape(entry.help))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self.entries():
            score = matcher.match(entry.title)
            if score > 0:
                shown = matcher.highlight(escape(entry.title))
                yield Hit(score, shown, entry.run, text=entry.title, help=escape(entry.help))
