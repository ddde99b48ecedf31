"""The App: global keys, the theme, the stylesheet, and the main screen."""

from __future__ import annotations

import gc
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from batchtui.api.client import BatchClient
from batchtui.clock import Clock, SystemClock
from batchtui.config import Settings
from batchtui.ui.dialogs.help import HelpScreen
from batchtui.ui.screens.batches import BatchesScreen


def stylesheet_dir() -> Path:
    """Inside the wheel the styles sit in the package; in a checkout, at the top level."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "styles"
    return installed if installed.is_dir() else package.parent / "styles"


class BatchApp(App):
    TITLE = "batchtui"
    CSS_PATH = [stylesheet_dir() / "app.tcss", stylesheet_dir() / "lifecycle.tcss"]
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?", id="help", tooltip="Show every key"),
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit batchtui"),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        client: BatchClient | None = None,
        clock: Clock | None = None,
        server_label: str | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.client = client or BatchClient(settings.client_config())
        self.clock = clock or SystemClock()
        self.server_label = server_label or settings.server_label

    def get_default_screen(self) -> Screen:
        return BatchesScreen(
            self.client,
            self.clock,
            page_size=self.settings.page_size,
            refresh_seconds=self.settings.refresh_seconds,
            server_label=self.server_label,
            key_hint="AZURE_OPENAI_API_KEY" if self.settings.azure else "OPENAI_API_KEY",
        )

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        # Loaded here, not at start: it imports every lifecycle screen.
        from batchtui.ui.screens.lifecycle_keys import LIFECYCLE_BINDINGS

        bindings = [*BatchesScreen.BINDINGS, *self.BINDINGS, *LIFECYCLE_BINDINGS]
        self.push_screen(HelpScreen(binding for binding in bindings if binding.show))

    def on_mount(self) -> None:
        # What start-up built (modules, styles, widgets) lives as long as the app. Frozen, the collector
        # stops walking it on every full collection: those walks were 40–80 ms pauses under key presses.
        self.call_after_refresh(gc.freeze)

    async def on_unmount(self) -> None:
        gc.unfreeze()
        await self.client.aclose()
