"""Textual's Footer without its slow leak, for screens that stay open for hours, with help and quit first."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class LeanFooter(Footer):
    """Each recompose binds the new keys to `compact` but never unbinds the old ones (textual#6666).

    Textual prunes closed watchers only when the watched value changes, and `compact` never
    does, so every binding refresh would leave ~8 dead key widgets behind. Prune them here.
    """

    # Docked right, the palette's key covers the last column too: with the compact margin, the cut-off key
    # behind it showed its letter there.
    DEFAULT_CSS = """
    LeanFooter.-compact FooterKey.-command-palette {
        margin-right: 0;
        padding-right: 1;
    }
    """

    def __init__(self) -> None:
        # Compact, so a dozen keys fit in 120 columns; the palette's key (^p) is docked at the right end.
        super().__init__(compact=True, show_command_palette=True)

    def compose(self) -> ComposeResult:
        # The app's own keys (help, quit) first: a narrow terminal cuts the footer's end, and these work everywhere.
        # The palette's key is the app's too, but stays last, where the footer docks it.
        everywhere = {
            active.binding.action for active in self.screen.active_bindings.values() if active.node is self.app
        }
        keys = list(super().compose())
        for key in keys:
            # Each key's `compact` is bound to the footer's, and its watcher adds `-compact` once the key is mounted:
            # a second styling of every key and its two parts, each time the footer is rebuilt. With the class
            # given before mounting, that watcher finds it there and restyles nothing.
            # Delete when FooterKey is given its compact class at construction (no upstream issue found).
            if isinstance(key, FooterKey) and self.compact:
                key.add_class("-compact", update=False)
        # None while Footer has not heard of the bindings yet (it composes nothing until then).
        self._composed_for = self._signature() if keys else None
        yield from sorted(keys, key=lambda key: (key.has_class("-command-palette"), key_rank(key, everywhere)))

    def _signature(self) -> tuple[object, ...]:
        """What the keys show: each shown binding, whether it is enabled, its tooltip."""
        return tuple(
            (binding.key, binding.action, binding.description, binding.key_display, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )

    async def recompose(self) -> None:
        # Textual asks after every focus change and stack update too: at start-up that rebuilt ~15 keys three times
        # before the first page was drawn. A recompose that would draw the same keys is skipped, and one that only
        # enables, dims or re-explains keys (the cursor moved to a batch in another state) updates them in place:
        # rebuilding mounted ~15 widgets, each styled anew, on every such cursor move.
        if not self.is_attached:
            return  # its screen went (a profile switch) before the queued recompose ran
        composed, signature = getattr(self, "_composed_for", None), self._signature()
        if composed is not None:
            if composed == signature:
                return
            if _layout(composed) == _layout(signature) and self._restate(signature):
                self._composed_for = signature
                return
        await super().recompose()
        # Removed keys stay in Footer's private `compact` watchers until `compact` changes, which it never does.
        # Delete when textual#6666 ships (watchers of removed widgets dropped on removal); tests/framework guards it.
        watchers = getattr(self, "__watchers", {}).get("compact")
        if watchers:
            watchers[:] = [(node, callback) for node, callback in watchers if node.is_attached]

    def _restate(self, signature: tuple[object, ...]) -> bool:
        """Each key enabled or dimmed, with its tooltip, as `signature` says; False if a key is not in it."""
        # As Footer.compose does: one key per action, from its first binding, the description as the tooltip.
        state: dict[object, tuple[bool, object]] = {}
        for _key, action, description, _display, enabled, tooltip in signature:  # type: ignore[misc]
            state.setdefault(action, (enabled, tooltip or description))
        keys = [key for key in self.query(FooterKey) if not key.has_class("-command-palette")]
        if any(key.action not in state for key in keys):
            return False
        for key in keys:
            enabled, tooltip = state[key.action]
            # A dimmed FooterKey is its `-disabled` class and `_disabled` (a click rings the bell instead of
            # pressing the key), as FooterKey.__init__ sets them. Delete when Footer updates keys in place
            # (no upstream issue found); tests/framework guards it.
            key._disabled = not enabled
            key.set_class(not enabled, "-disabled")
            key.tooltip = tooltip  # type: ignore[assignment]
        return True


def _layout(signature: tuple[object, ...]) -> tuple[object, ...]:
    """The keys a signature shows, without whether each is enabled and its tooltip."""
    return tuple(item[:4] for item in signature)  # type: ignore[index]


def key_rank(key: object, everywhere: set[str]) -> bool:
    """False (first) for the app's own keys; the rest keep their order, the sort being stable."""
    return getattr(key, "action", None) not in everywhere
