"""Textual's Footer without its slow leak, for screens that stay open for hours."""

from __future__ import annotations

from textual.widgets import Footer


class LeanFooter(Footer):
    """Each recompose binds the new keys to `compact` but never unbinds the old ones (textual#6666).

    Textual prunes closed watchers only when the watched value changes, and `compact` never
    does, so every binding refresh would leave ~8 dead key widgets behind. Prune them here.
    """

    async def recompose(self) -> None:
        await super().recompose()
        watchers = getattr(self, "__watchers", {}).get("compact")
        if watchers:
            watchers[:] = [(node, callback) for node, callback in watchers if node.is_attached]
