"""Pick the profile to switch to: every profile in the config file, the one in use marked."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from batchtui.ui.dialogs.dialog import Question
from batchtui.ui.formatting import clean

CURRENT_MARK = "●"


def profile_label(name: str, *, current: bool) -> Text:
    """A profile's line in the list; names come from a file the user wrote, so they are shown literally."""
    text = Text(f"{CURRENT_MARK} " if current else "  ", style="bold" if current else "")
    text.append(clean(name), style="bold" if current else "")
    if current:
        text.append("  (in use)", style="dim")
    return text


class ProfilePicker(Question[str | None]):
    """Answers the chosen profile's name, or None when closed (or when the profile in use is picked)."""

    BINDINGS = [Binding("escape", "close", "Close", id="close_profiles")]

    def __init__(self, names: Sequence[str], current: str | None) -> None:
        super().__init__()
        self.names = tuple(names)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="profile-dialog", classes="dialog"):
            yield Static(Text("Switch profile", style="bold"))
            yield OptionList(
                *(Option(profile_label(name, current=name == self.current), id=name) for name in self.names),
                id="profile-list",
            )
            yield Static(Text("Enter switches to the highlighted profile · Escape closes", style="dim"))

    def on_mount(self) -> None:
        if self.current in self.names:
            self.query_one(OptionList).highlighted = self.names.index(self.current)

    def first_focus(self) -> Widget:
        return self.query_one(OptionList)

    @on(OptionList.OptionSelected, "#profile-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        name = event.option.id
        self.dismiss(None if name == self.current else name)

    def action_close(self) -> None:
        self.dismiss(None)
