"""The App: global keys, the theme, the stylesheet, the main screen, and switching profiles at runtime."""

from __future__ import annotations

import asyncio
import gc
import signal
import sys
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, Keymap
from textual.dom import DOMNode
from textual.screen import Screen

from batchtui.api.client import BatchClient
from batchtui.api.redaction import Redactor
from batchtui.clock import Clock, SystemClock
from batchtui.config import ConfigError, Settings
from batchtui.ui import toasts
from batchtui.ui.crash_log import CrashReport, record_crash
from batchtui.ui.dialogs.help import HelpScreen
from batchtui.ui.history import History
from batchtui.ui.keys import key_group, with_fallbacks
from batchtui.ui.screens.batches import BatchesScreen

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.driver import Driver

# What ends a terminal program from outside: kill, a closed terminal window or tmux session, kill -INT.
EXIT_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name))


def stylesheet_dir() -> Path:
    """Inside the wheel the styles sit in the package; in a checkout, at the top level."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "styles"
    return installed if installed.is_dir() else package.parent / "styles"


def title_label(settings: Settings, server_label: str | None = None) -> str:
    """What the title bar names after "batchtui": the profile, then where it connects (`work · api.openai.com/v1`)."""
    where = server_label or settings.server_label
    return f"{settings.profile} · {where}" if settings.profile else where


def connect(settings: Settings) -> BatchClient:
    return BatchClient(settings.client_config())


def batch_commands() -> type[Provider]:
    """The palette's batch commands, loaded when the palette first opens (Textual takes a callable here)."""
    from batchtui.ui.commands import BatchCommands

    return BatchCommands


class BatchApp(App):
    TITLE = "batchtui"
    CSS_PATH = [stylesheet_dir() / "app.tcss", stylesheet_dir() / "lifecycle.tcss"]
    COMMANDS = App.COMMANDS | {batch_commands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?", id="help", tooltip="Show every key"),
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit batchtui"),
        Binding(
            "P",
            "switch_profile",
            "Profile",
            id="switch_profile",
            tooltip="Switch to another profile of the config file",
        ),
        # Reached only when the binding above is hidden: say why instead of doing nothing.
        Binding("P", "explain_no_profile_switch", show=False, id="explain_no_profile_switch"),
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
    # A dimmed (or hidden) key still answers, through the fallback bound to the same key: it says why.
    FALLBACKS: ClassVar[dict[str, str]] = {"explain_no_profile_switch": "switch_profile"}

    def __init__(
        self,
        settings: Settings,
        *,
        client: BatchClient | None = None,
        clock: Clock | None = None,
        server_label: str | None = None,
        history: History | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        connect: Callable[[Settings], BatchClient] = connect,
    ) -> None:
        """`connect` builds the client of a profile switched to (tests give one over a fake transport)."""
        super().__init__()
        self.settings = settings
        self._connect = connect
        self.client = client or connect(settings)
        self.clock = clock or SystemClock()
        self.server_label = title_label(settings, server_label)
        # The local index of this account's batches; without one, batchtui shows only what the server sends.
        self.history = history if history is not None else self._history_for(settings)
        self._sleep = sleep
        # The keymap in force, as given to set_keymap (Textual keeps its own copy private).
        self.keymap: dict[str, str] = {}
        self._signals_before: dict[int, Callable[[int, FrameType | None], object] | int | None] = {}
        self.crash: CrashReport | None = None
        # Every key used this session: a crash log must show none of them, not only the current profile's.
        self._keys_used = {settings.api_key} if settings.api_key else set()
        self._switching = False
        # The theme the config file holds (None until the settings' theme is applied): a change from it is saved.
        self._theme_saved: str | None = None
        self._theme_writes = asyncio.Lock()
        self.set_keymap(settings.keymap)

    def run_in_terminal(self) -> int:
        """Run until quit; returns the process status, and after a crash says so on the restored terminal."""
        self.run()
        if self.crash is not None:
            # Printed whole, not through Rich, so the terminal wraps it and the log's path copies in one piece.
            print(self.crash.message(), file=sys.stderr)
        # 0 after q or Ctrl-C, 1 after an unexpected error, 128 + n after signal n; None if it never started.
        return self.return_code or 0

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()
        if sys.platform != "win32":  # the Linux driver cannot even be imported on Windows
            from textual.drivers.linux_driver import LinuxDriver

            if driver is LinuxDriver:
                # Its input thread wakes ten times a second for nothing (batchtui/ui/quiet_driver.py).
                from batchtui.ui.quiet_driver import QuietLinuxDriver

                return QuietLinuxDriver
        return driver

    def get_default_screen(self) -> Screen:
        # The first account's list is Textual's default screen: a screen of its own pushed or a mode of its own
        # (which parses the whole stylesheet again) cost 40 ms before the first page.
        return self._main_screen()

    def _main_screen(self) -> BatchesScreen:
        """The batch list of the account in use."""
        settings = self.settings
        return BatchesScreen(
            self.client,
            self.clock,
            page_size=settings.page_size,
            refresh_seconds=settings.refresh_seconds,
            server_label=self.server_label,
            key_hint="AZURE_OPENAI_API_KEY" if settings.azure else "OPENAI_API_KEY",
            history=self.history,
            sleep=self._sleep,
            read_only=settings.read_only,
            notify=settings.notify,
            thresholds=settings.stuck,
        )

    @staticmethod
    def _history_for(settings: Settings) -> History | None:
        return History(settings.index_path()) if settings.index else None

    def set_keymap(self, keymap: Keymap) -> None:
        """Remap keys by binding id; the "why is this dimmed" keys (the main screen's, the app's) follow their action."""
        self.keymap = with_fallbacks(keymap, {**BatchesScreen.FALLBACKS, **self.FALLBACKS})
        super().set_keymap(self.keymap)

    # Profiles

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_profile":
            # Hidden, not dimmed, when it cannot be used: most people have no profiles, and the footer is full.
            return self.profile_switch_refusal() is None
        return True

    def profile_switch_refusal(self, screen: Screen[object] | None = None) -> str | None:
        """Why no profile switch is possible from `screen` (the top one unless given) now, or None when it is."""
        names, path = self.settings.profile_names, self.settings.config_path
        where = f" in {path}" if path else ""
        if self.settings.load_profile is None or not names:
            return "There are no profiles to switch between: they are defined in the config file."
        if len(names) < 2:
            return f"{names[0]} is the only profile{where}: add another to switch between them."
        if self._switching:
            return "A profile switch is under way."
        if not isinstance(screen or self.screen, BatchesScreen):
            return "Profiles are switched from the batch list: close this screen first."
        return None

    def action_switch_profile(self) -> None:
        if self.profile_switch_refusal() is None:
            from batchtui.ui.dialogs.profile_picker import ProfilePicker  # loaded when first asked for

            picker = ProfilePicker(self.settings.profile_names, self.settings.profile)
            self.push_screen(picker, self._profile_picked)

    def _profile_picked(self, name: str | None) -> None:
        if name is not None:
            self.switch_profile(name)

    def action_explain_no_profile_switch(self) -> None:
        toasts.tell(self, self.profile_switch_refusal() or "Press the key again to switch profiles.", timeout=6)

    @work(exclusive=True, group="profile-switch")
    async def switch_profile(self, name: str) -> None:
        """Show another profile's account: its settings, its client, its index, a new batch list."""
        refusal = self.profile_switch_refusal()
        load = self.settings.load_profile
        if refusal is not None or load is None:
            toasts.tell(self, refusal or "There are no profiles to switch between.", severity="warning")
            return
        self._switching = True
        try:
            try:
                settings = await asyncio.to_thread(load, name)
            except ConfigError as error:
                # The message names the setting, never its value; the keys known are taken out all the same.
                toasts.tell(self, self._redacted(str(error)), severity="error", timeout=10)
                return
            if isinstance(self.screen, BatchesScreen):  # not if a screen was opened while the profile loaded
                await self._show_account(settings)
        finally:
            self._switching = False
            self.refresh_bindings()

    async def _show_account(self, settings: Settings) -> None:
        """Replace the batch list with the account of `settings`; the old account's screen, index and client end."""
        old_screen, old_client, old_history = self.screen, self.client, self.history
        old_nodes = list(old_screen.walk_children(with_self=True))
        client = self._connect(settings)
        if settings.api_key:
            self._keys_used.add(settings.api_key)
        self.settings, self.client, self.history = settings, client, self._history_for(settings)
        self.server_label = title_label(settings)
        self.set_keymap(settings.keymap)
        # Its requests were for the old account: none may land, nor a toast about them.
        self._cancel_work_of(old_nodes)
        screen = self._main_screen()
        try:
            if len(self.screen_stack) == 1:
                # The default screen can be neither switched nor removed: the new list goes over it, and it stops
                # for good (its work is cancelled above, its timers here), blank under every account that follows.
                assert isinstance(old_screen, BatchesScreen)
                old_screen.retire()
                await self.push_screen(screen)
            else:
                await self.switch_screen(screen)
            await self._work_ended(old_nodes)
        finally:
            # Queued behind anything the old screen said on its way out, so that goes too.
            self.call_later(self.clear_notifications)
            try:
                if old_history is not None:
                    await old_history.close()
            finally:
                await old_client.aclose()

    def _cancel_work_of(self, nodes: Iterable[DOMNode]) -> None:
        for node in nodes:
            self.workers.cancel_node(node)

    async def _work_ended(self, nodes: Iterable[DOMNode]) -> None:
        """Until the cancelled workers of `nodes` have unwound (Worker.wait raises for a cancelled one)."""
        nodes = set(nodes)
        ending = [worker.wait() for worker in self.workers if worker.node in nodes]
        await asyncio.gather(*ending, return_exceptions=True)

    def _redacted(self, text: str) -> str:
        for key in self._keys_used:
            text = Redactor(key)(text)
        return text

    # Theme

    def _apply_theme(self, name: str | None) -> None:
        """The theme of the settings; an unknown name keeps the default and says so once."""
        if name and name not in self.available_themes:
            where = f" in {self.settings.config_path}" if self.settings.config_path else ""
            toasts.tell(
                self,
                f"There is no theme called {name!r}{where}; using {self.theme}. Ctrl+P → Theme lists them.",
                severity="warning",
                timeout=10,
            )
        elif name:
            self.theme = name
        self._theme_saved = self.theme

    def watch_theme(self, name: str) -> None:
        # Before _apply_theme has run, the change is the start-up's own, not the user's choice.
        if self._theme_saved is not None and name != self._theme_saved:
            self._theme_saved = name
            self.save_theme(name)

    @work(group="theme-save")
    async def save_theme(self, name: str) -> None:
        """Write the chosen theme to the config file, in a thread; a failure is told, and the theme stays."""
        path = self.settings.config_path
        if path is None:
            return
        from batchtui.config_writer import write_theme

        async with self._theme_writes:  # in the order chosen: the last theme picked is the one the file keeps
            try:
                await asyncio.to_thread(write_theme, path, name)
            except OSError as error:
                reason = f"{path}: {error.strerror}" if error.strerror else str(error)
                if str(path) not in reason:
                    reason = f"{path}: {reason}"
                toasts.tell(
                    self, f"Theme {name} is used until batchtui quits, but was not saved. {reason}", severity="warning"
                )

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
                also=BatchesScreen.HELP_ONLY,
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
        self._apply_theme(self.settings.theme)

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
            self.crash = record_crash(error, self._redacted)
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
