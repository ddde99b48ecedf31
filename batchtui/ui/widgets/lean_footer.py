"""Textual's Footer without its slow leak, for screens that stay open for hours, with help and quit first."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer


class LeanFooter(Footer):
    """Each recompose binds the new keys to `compact` but never unbinds the old ones (textual#6666).

    Textual prunes closed watchers only when the watched value changes, and `compact` never
    does, so every binding refresh would leave ~8 dead key widgets behind. Prune them here.
    """

    def __init__(self) -> None:
        # Compact, and no palette hint: a dozen keys must fit in 120 columns.
        super().__init__(compact=True, show_command_palette=False)

    def compose(self) -> ComposeResult:
        # The app's own keys (help, quit) first: a narrow terminal cuts the footer's end, and these work everywhere.
        everywhere = {
            active.binding.action for active in self.screen.active_bindings.values() if active.node is self.app
        }
        keys = list(super().compose())
        yield from sorted(keys, key=lambda key: getattr(key, "action", None) not in everywhere)

    async def recompose(self) -> None:
        await super().recompose()
        # Removed keys stay in Footer's private `compact` watchers until `compact` changes, which it never does.
        # Delete when textual#6666 ships (watchers of removed widgets dropped on removal); tests/framework guards it.
        watchers = getattr(self, "__watchers", {}).get("compact")
        if watchers:
            watchers[:] = [(node, callback) for node, callback in watchers if node.is_attached]
