"""Guards for the private parts of Textual that BatchApp's crash exit touches: App._handle_exception and
App._exit_renderables (batchtui/ui/app.py). Textual has no public hook for an unhandled error (textual#2818).

If one of these fails after an upgrade, the crash exit may be lost quietly: a traceback over the terminal
(with locals, the API key among them), no log file, or status 0. Re-check BatchApp._handle_exception against
Textual's App._handle_exception, _fatal_error, panic and _print_error_renderables, then re-run
tests/ui/test_crash_exit.py and tests/e2e/test_signals.py. The textual pin is checked in test_textual_internals.py.
"""

from __future__ import annotations

import inspect
from importlib.metadata import version

import pytest
from textual import work
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Label
from textual.worker import WorkerFailed

TEXTUAL = version("textual")
HOOK = "BatchApp._handle_exception (textual#2818: no public hook for unhandled errors)"


class Recording(App):
    """Does what BatchApp's hook does to Textual: lets it exit, keeps the error, prints nothing of its own."""

    def __init__(self, fail_in: str) -> None:
        super().__init__()
        self.fail_in = fail_in
        self.handled: list[Exception] = []

    def compose(self) -> ComposeResult:
        yield Label("guard")

    def on_mount(self) -> None:
        if self.fail_in == "worker":
            self.fails()
        else:
            self.call_after_refresh(self.post_message, self.Broken())

    @work
    async def fails(self) -> None:
        raise RuntimeError("from a worker")

    class Broken(Message):
        pass

    def on_recording_broken(self, message: Broken) -> None:
        raise RuntimeError("from a message handler")

    def _handle_exception(self, error: Exception) -> None:
        super()._handle_exception(error)
        self.handled.append(error)
        self._exit_renderables.clear()


def test_handle_exception_still_takes_the_error():
    parameters = inspect.signature(App._handle_exception).parameters
    assert [(name, parameter.annotation) for name, parameter in parameters.items()] == [
        ("self", inspect.Parameter.empty),
        ("error", "Exception"),
    ], (
        f"App._handle_exception{inspect.signature(App._handle_exception)} in textual {TEXTUAL} is not what {HOOK} "
        "overrides: match the override to it, or move the hook to the public one if Textual now has one"
    )


@pytest.mark.parametrize(("fail_in", "expected"), [("worker", WorkerFailed), ("handler", RuntimeError)])
async def test_unhandled_errors_still_go_through_handle_exception_and_exit_with_status_1(fail_in, expected, capsys):
    app = Recording(fail_in)
    await app.run_async(headless=True, size=(40, 10))
    assert [type(error) for error in app.handled] == [expected], (
        f"an error in a {fail_in} no longer reaches App._handle_exception in textual {TEXTUAL} as {expected.__name__} "
        f"(it got {app.handled}): {HOOK} would miss it; find Textual's new funnel for unhandled errors"
    )
    assert app.return_code == 1, (
        f"App._handle_exception in textual {TEXTUAL} no longer sets return_code 1: {HOOK} relies on it for the "
        "process status after a crash"
    )
    assert capsys.readouterr().err == "", (
        f"textual {TEXTUAL} still printed something after App._exit_renderables was cleared: {HOOK} clears it so "
        "no traceback (with locals, the key among them) reaches the terminal; find what Textual prints now"
    )


def test_exit_renderables_is_still_the_list_textual_prints_at_exit():
    app = App()
    assert isinstance(getattr(app, "_exit_renderables", None), list), (
        f"App._exit_renderables is gone or not a list in textual {TEXTUAL}: {HOOK} empties it"
    )
    source = inspect.getsource(App._print_error_renderables)
    assert "self._exit_renderables" in source, (
        f"App._print_error_renderables in textual {TEXTUAL} no longer prints App._exit_renderables: {HOOK} empties "
        "that list to keep Textual's traceback off the terminal"
    )
