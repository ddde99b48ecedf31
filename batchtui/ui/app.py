"""The App: global keys, the theme, the stylesheet, and the main screen."""

from __future__ import annotations

import asyncio
import gc
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import FrameType

from textual.app import App
from textual.binding import Binding, Keymap
from textual.screen import Screen

from batchtui.api.client import BatchClient
from batchtui.api.redaction import Redactor
from batchtui.clock import Clock, SystemClock
from batchtui.config import Settings
from batchtui.ui.crash_log import CrashReport, record_crash
from batchtui.ui.dialogs.help import HelpScreen
from batchtui.ui.history import History
from batchtui.ui.keys import key_group, with_fallbacks
from batchtui.ui.screens.batches import BatchesScreen

# What ends a terminal program from outside: kill, a closed terminal window or tmux session, kill -INT.
EXIT_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name))


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
        # Priority, so a text field's copy binding cannot eat it: in a terminal Ctrl-C means "stop this program".
        Binding(
            "ctrl+c",
            "quit",
            "Quit",
            id="quit_now",
            show=False,
            priority=True,
            tooltip="Quit batchtui, even from a text field",
        ),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        client: BatchClient | None = None,
        clock: Clock | None = None,
        server_label: str | None = None,
        history: History | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.client = client or BatchClient(settings.client_config())
        self.clock = clock or SystemClock()
        self.server_label = server_label or settings.server_label
        # The local index of this account's batches; without one, batchtui shows only what the server sends.
        self.history = history if history is not None or not settings.index else History(settings.index_path())
        self._sleep = sleep
        # The keymap in force, as given to set_keymap (Textual keeps its own copy private).
        self.keymap: dict[str, str] = {}
        self._signals_before: dict[int, Callable[[int, FrameType | None], object] | int | None] = {}
        self.crash: CrashReport | None = None

    def run_in_terminal(self) -> int:
        """Run until quit; returns the process status, and after a crash says so on the restored terminal."""
        self.run()
        if self.crash is not None:
            # Printed whole, not through Rich, so the terminal wraps it and the log's path copies in one piece.
            print(self.crash.message(), file=sys.stderr)
        # 0 after q or Ctrl-C, 1 after an unexpected error, 128 + n after signal n; None if it never started.
        return self.return_code or 0

    def get_default_screen(self) -> Screen:
        return BatchesScreen(
            self.client,
            self.clock,
            page_size=self.settings.page_size,
            refresh_seconds=self.settings.refresh_seconds,
            server_label=self.server_label,
            key_hint="AZURE_OPENAI_API_KEY" if self.settings.azure else "OPENAI_API_KEY",
            history=self.history,
            sleep=self._sleep,
        )

    def set_keymap(self, keymap: Keymap) -> None:
        """Remap keys by binding id; the main screen's "why is this dimmed" keys follow their action."""
        self.keymap = with_fallbacks(keymap, BatchesScreen.FALLBACKS)
        super().set_keymap(self.keymap)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        # Loaded here, not at start: it imports every lifecycle screen.
        from batchtui.ui.screens.create_batch import CreateBatchScreen
        from batchtui.ui.screens.recovery import RecoveryScreen
        from batchtui.ui.screens.results import ResultsScreen

        keymap = self.keymap
        groups = [
            key_group(
                self,
                BatchesScreen.BINDING_GROUP_TITLE,
                BatchesScreen.BINDINGS,
                keymap,
                extra=BatchesScreen.table_keys(self, keymap),
            ),
            key_group(self, "Everywhere", self.BINDINGS, keymap, also={"quit_now"}),
            *(
                key_group(self, screen.BINDING_GROUP_TITLE or screen.__name__, screen.BINDINGS, keymap)
                for screen in (CreateBatchScreen, ResultsScreen, RecoveryScreen)
            ),
        ]
        self.push_screen(HelpScreen(groups))

    def on_mount(self) -> None:
        # What start-up built (modules, styles, widgets) lives as long as the app. Frozen, the collector
        # stops walking it on every full collection: those walks were 40–80 ms pauses under key presses.
        self.call_after_refresh(gc.freeze)
        self._catch_exit_signals()

    def exit_on_signal(self, signum: int) -> None:
        """Leave the way q does, so Textual gives the terminal back; the status names the signal, as a shell's does."""
        if self.return_code is None:  # an exit already under way (q, a crash) keeps its own status
            self.exit(return_code=128 + signum)

    async def on_unmount(self) -> None:
        try:
            gc.unfreeze()
            if self.history is not None:
                await self.history.close()
            await self.client.aclose()
        finally:
            self._release_exit_signals()

    def _handle_exception(self, error: Exception) -> None:
        # Delete when textual#2818 adds a public crash hook; tests/framework/test_textual_crash_hook.py guards this.
        super()._handle_exception(error)  # Textual's one funnel for unhandled errors: exits with 1, Pilot re-raises
        if self.crash is None:
            self.crash = record_crash(error, Redactor(self.settings.api_key))
        # Not Textual's traceback with locals (the key among them): run_in_terminal prints one line instead.
        self._exit_renderables.clear()

    def _catch_exit_signals(self) -> None:
        loop = asyncio.get_running_loop()
        self._signals_before = {signum: signal.getsignal(signum) for signum in EXIT_SIGNALS}
        for signum in EXIT_SIGNALS:
            loop.add_signal_handler(signum, self.exit_on_signal, signum)

    def _release_exit_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for signum, before in self._signals_before.items():
            loop.remove_signal_handler(signum)
            # remove_signal_handler leaves the default behind; whoever ran the app may have had its own.
            if before is not None:
                signal.signal(signum, before)
