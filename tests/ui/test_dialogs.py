"""Dialogs: keys typed before one is on screen answer nothing, Enter never confirms a destructive one, and every
dialog fits and stays usable down to 40x12."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from batchtui.api.models import Batch
from batchtui.ui.app import BatchApp
from batchtui.ui.dialogs.confirm_cancel import ConfirmCancel
from batchtui.ui.dialogs.dialog import Question
from batchtui.ui.dialogs.error_details import ErrorDetails
from batchtui.ui.dialogs.file_picker import FilePicker
from batchtui.ui.dialogs.help import HelpScreen
from batchtui.ui.dialogs.save_file import ConfirmOverwrite, SaveFileScreen
from batchtui.ui.screens.batches import BatchesScreen
from tests.support.batches import NOW, numbered_batch
from tests.support.notifications import toasts
from tests.support.rendering import screen_lines
from tests.support.waiting import settle, wait_until

SIZES = [(40, 12), (60, 15), (80, 24), (160, 45)]
LONG_ID = "batch_" + "6f1c2a9e" * 8
LONG_ERROR = "The server answered 500: " + "the upstream model service did not answer in time; " * 12

# What a terminal sends for the keys these tests type.
CHARACTERS = {"enter": "\r", "tab": "\t", "escape": "\x1b", "space": " "}


def type_ahead(app: App, *keys: str) -> None:
    """Keys that arrive together, as one read of a fast typist or a paste delivers them: no pause between."""
    for key in keys:
        app.post_message(events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None)))


async def on_screen(pilot, kind: type[Question]) -> Question:
    """The dialog once painted and listening: what a user sees before typing at it."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, kind) and app.screen.listening)
    return app.screen


def cancel_posts(fake_api) -> int:
    return fake_api.count("POST", "/cancel")


# Keys typed ahead of the cancel dialog (the batch list's first row is in progress, so `c` asks)


async def test_a_command_typed_into_the_app_cancels_nothing(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("c", "h", "e", "l", "l", "o", "enter")
        await pilot.pause()
        assert cancel_posts(fake_api) == 0
        assert isinstance(app.screen, ConfirmCancel) or "batch_0000 keeps running." in toasts(app)


async def test_keys_typed_with_c_reach_neither_the_dialog_nor_the_list(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        batches = app.screen
        requests = len(fake_api.requests)
        # j moves the cursor, n pages, y copies the id; Enter, Escape and n would answer the dialog.
        type_ahead(app, "c", "j", "n", "y", "enter", "tab", "enter", "escape")
        dialog = await on_screen(pilot, ConfirmCancel)
        await pilot.pause()
        assert app.screen is dialog
        assert dialog.batch.id == "batch_0000"
        assert batches.selected_id == "batch_0000"
        assert len(fake_api.requests) == requests
        assert toasts(app) == []
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is batches)
        assert cancel_posts(fake_api) == 0


async def test_enter_on_a_freshly_opened_cancel_dialog_keeps_the_batch_running(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        dialog = await on_screen(pilot, ConfirmCancel)
        assert app.focused is dialog.query_one("#abort", Button)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, BatchesScreen))
        await settle(app, pilot)
        assert cancel_posts(fake_api) == 0
        assert "batch_0000 keeps running." in toasts(app)


async def test_y_cancels(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await on_screen(pilot, ConfirmCancel)
        await pilot.press("y")
        await wait_until(pilot, lambda: cancel_posts(fake_api) == 1)
        await settle(app, pilot)
        assert app.screen.selected_batch.status == "cancelling"


async def test_tab_to_the_cancel_button_then_enter_cancels(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        dialog = await on_screen(pilot, ConfirmCancel)
        assert app.focused is dialog.query_one("#abort", Button)
        await pilot.press("tab")
        assert app.focused is dialog.query_one("#confirm", Button)
        await pilot.press("enter")
        await wait_until(pilot, lambda: cancel_posts(fake_api) == 1)
        await settle(app, pilot)
        assert fake_api.count("POST") == 1


# Every question, on a screen of its own: keys typed with the key that opens it are dropped


class Behind(Screen[None]):
    """The screen under the question: `o` opens it, and any other key it acts on is noted."""

    BINDINGS = [Binding("o", "open"), Binding("x,y,n,enter,escape", "note")]

    def __init__(self, make: Callable[[], Question] | None) -> None:
        super().__init__()
        self.make = make
        self.noted = 0
        self.answers: list[object] = []

    def compose(self) -> ComposeResult:
        yield Static("behind")

    def action_open(self) -> None:
        assert self.make is not None
        self.make().ask(self.app).add_done_callback(lambda answer: self.answers.append(answer.result()))

    def action_note(self) -> None:
        self.noted += 1


class DialogApp(App[None]):
    """Just the stylesheet and one dialog, at whatever size the test asks for."""

    CSS_PATH = BatchApp.CSS_PATH

    def __init__(self, make: Callable[[], Question] | None = None) -> None:
        super().__init__()
        self.make = make

    def get_default_screen(self) -> Screen:
        return Behind(self.make)


def existing_file(tmp_path: Path) -> Path:
    path = tmp_path / "batch_output.jsonl"
    path.write_text('{"custom_id": "a"}\n')
    return path


QUESTIONS: dict[str, Callable[[Path], Question]] = {
    "overwrite": lambda tmp_path: ConfirmOverwrite(existing_file(tmp_path)),
    "save": lambda tmp_path: SaveFileScreen("Save the output file", str(tmp_path / "out.jsonl")),
    "picker": lambda tmp_path: FilePicker(tmp_path),
}


@pytest.mark.parametrize("name", list(QUESTIONS))
async def test_keys_typed_with_the_key_that_opens_a_question_answer_nothing(name, tmp_path):
    existing_file(tmp_path)
    app = DialogApp(lambda: QUESTIONS[name](tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        type_ahead(app, "o", "x", "y", "tab", "enter", "n", "escape")
        dialog = await on_screen(pilot, Question)
        await pilot.pause()
        assert app.screen is dialog
        assert app.screen_stack[0].noted == 0
        if isinstance(dialog, SaveFileScreen):
            assert dialog.query_one(Input).value == str(tmp_path / "out.jsonl")


@pytest.mark.parametrize("name", list(QUESTIONS))
async def test_keys_typed_before_a_question_was_painted_are_dropped_even_when_they_arrive_late(name, tmp_path):
    app = DialogApp()
    async with app.run_test(size=(100, 30)) as pilot:
        # Stamped now, delivered once the question listens: a busy loop can hand keys over that late.
        typed = [events.Key(key, CHARACTERS.get(key, key)) for key in ("x", "y", "enter", "escape")]
        dialog = QUESTIONS[name](tmp_path)
        app.push_screen(dialog)
        await on_screen(pilot, Question)
        for key in typed:
            app.post_message(key)
        await pilot.pause()
        assert app.screen is dialog
        if isinstance(dialog, SaveFileScreen):
            assert dialog.query_one(Input).value == str(tmp_path / "out.jsonl")


class BusyWidget(Widget, can_focus=True):
    """A widget behind the question that is slow to hand keys on: each waits for `free` (a busy handler)."""

    def __init__(self) -> None:
        super().__init__()
        self.free = asyncio.Event()

    async def on_key(self, event: events.Key) -> None:
        if event.key != "o":
            await self.free.wait()


async def test_keys_held_up_behind_until_the_question_is_painted_still_answer_nothing(tmp_path):
    app = DialogApp(lambda: ConfirmOverwrite(existing_file(tmp_path)))
    async with app.run_test(size=(100, 30)) as pilot:
        busy = BusyWidget()
        await app.screen.mount(busy)
        busy.focus()
        await pilot.pause()
        type_ahead(app, "o", "y", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmOverwrite) and app.screen.shown_at is not None)
        dialog = app.screen
        busy.free.set()  # the keys typed with `o` come up to the app only now, after the question was painted
        await on_screen(pilot, ConfirmOverwrite)
        await pilot.pause()
        assert app.screen is dialog
        assert app.screen_stack[0].answers == []


async def test_enter_on_a_fresh_overwrite_question_keeps_the_file_and_y_or_its_button_replaces_it(tmp_path):
    app = DialogApp(lambda: ConfirmOverwrite(existing_file(tmp_path)))
    async with app.run_test(size=(100, 30)) as pilot:
        behind = app.screen
        for keys, replaced in ((["enter"], False), (["y"], True), (["tab", "enter"], True), (["escape"], False)):
            await pilot.press("o")
            dialog = await on_screen(pilot, ConfirmOverwrite)
            assert app.focused is dialog.query_one("#keep", Button)
            await pilot.press(*keys)
            await wait_until(pilot, lambda: app.screen is behind)
            assert behind.answers.pop() is replaced, keys


async def test_a_name_typed_once_the_save_dialog_is_on_screen_is_kept(tmp_path):
    app = DialogApp(lambda: SaveFileScreen("Save", ""))
    async with app.run_test(size=(100, 30)) as pilot:
        behind = app.screen
        await pilot.press("o")
        await on_screen(pilot, SaveFileScreen)
        await pilot.press(*str(tmp_path / "new.jsonl"), "enter")
        await wait_until(pilot, lambda: app.screen is behind)
        assert behind.answers == [str(tmp_path / "new.jsonl")]


async def test_a_key_typed_right_after_enter_in_the_save_dialog_does_not_change_the_name(tmp_path):
    # A user who expects the overwrite question types `y` right after Enter; it must not become the file's name.
    path = existing_file(tmp_path)
    app = DialogApp(lambda: SaveFileScreen("Save", str(path)))
    async with app.run_test(size=(100, 30)) as pilot:
        behind = app.screen
        await pilot.press("o")
        await on_screen(pilot, SaveFileScreen)
        type_ahead(app, "enter", "y")
        await wait_until(pilot, lambda: app.screen is behind)
        assert behind.answers == [str(path)]


# Small terminals


def visible(app: App, widget: Widget) -> str:
    """What the screen shows inside a widget's region, without spaces, borders or scrollbars."""
    region = widget.region
    rows = screen_lines(app)[region.y : region.bottom]
    text = "".join(row[region.x : region.right] for row in rows)
    return "".join(character for character in text if not character.isspace() and not "\u2580" <= character <= "\u259f")


def squeezed(text: str) -> str:
    return "".join(text.split())


def assert_fits(app: App, dialog: Widget) -> None:
    screen = Region(0, 0, *app.size)
    assert screen.contains_region(dialog.region), f"{dialog.region} is not inside the {app.size} screen"
    for button in app.screen.query(Button):
        label = str(button.label)
        assert dialog.region.contains_region(button.region), f"{label!r} at {button.region} is cut off"
        assert button.region.width >= len(label) + 2, f"{label!r} is {button.region.width} columns wide"
        assert squeezed(label) in visible(app, button), f"{label!r} shows as {visible(app, button)!r}"


async def assert_reachable(pilot, dialog: Widget, first: str, last: str) -> None:
    """The dialog's first words show when scrolled to the top and its last ones when scrolled to the bottom."""
    dialog.scroll_home(animate=False)
    await pilot.pause()
    assert squeezed(first) in visible(pilot.app, dialog)
    dialog.scroll_end(animate=False)
    await pilot.pause()
    assert squeezed(last) in visible(pilot.app, dialog)


def long_batch() -> Batch:
    return Batch.model_validate(numbered_batch(0, id=LONG_ID))


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_the_cancel_dialog_fits(size):
    app = DialogApp(lambda: ConfirmCancel(long_batch()))
    async with app.run_test(size=size) as pilot:
        await pilot.press("o")
        dialog = await on_screen(pilot, ConfirmCancel)
        box = dialog.query_one("#confirm-dialog")
        assert_fits(app, box)
        await assert_reachable(pilot, box, f"Cancel batch {LONG_ID}?", "This cannot be undone.")
        assert_fits(app, box)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_the_overwrite_question_fits(size, tmp_path):
    path = existing_file(tmp_path)
    app = DialogApp(lambda: ConfirmOverwrite(path))
    async with app.run_test(size=size) as pilot:
        await pilot.press("o")
        dialog = await on_screen(pilot, ConfirmOverwrite)
        box = dialog.query_one("#overwrite-dialog")
        assert_fits(app, box)
        await assert_reachable(pilot, box, str(path), "another name")


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_the_save_dialog_fits(size, tmp_path):
    app = DialogApp(lambda: SaveFileScreen("Save the output file", str(tmp_path / "out.jsonl"), "Type a file name."))
    async with app.run_test(size=size) as pilot:
        await pilot.press("o")
        dialog = await on_screen(pilot, SaveFileScreen)
        box = dialog.query_one("#save-dialog")
        assert_fits(app, box)
        field = dialog.query_one(Input)
        assert box.region.contains_region(field.region) and field.region.height >= 1
        assert app.focused is field
        await assert_reachable(pilot, box, "Save the output file", "replaced if you say so")


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_the_error_details_fit(size):
    app = DialogApp()
    async with app.run_test(size=size) as pilot:
        app.push_screen(ErrorDetails([LONG_ERROR, "request id req_fake"], NOW))
        await wait_until(pilot, lambda: isinstance(app.screen, ErrorDetails))
        await pilot.pause()
        box = app.screen.query_one("#error-dialog")
        assert_fits(app, box)
        await assert_reachable(pilot, box, "What went wrong", "Escape closes.")


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_help_fits(size, make_app):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        box = app.screen.query_one("#help-dialog")
        assert_fits(app, box)
        await assert_reachable(pilot, box, "Keys", "Escape closes this screen.")


@pytest.mark.parametrize("size", [(40, 12), (80, 24)], ids=["40x12", "80x24"])
async def test_the_file_picker_fits(size, tmp_path):
    app = DialogApp(lambda: FilePicker(tmp_path))
    async with app.run_test(size=size) as pilot:
        await pilot.press("o")
        dialog = await on_screen(pilot, FilePicker)
        box = dialog.query_one("#picker-dialog")
        assert_fits(app, box)
        tree = dialog.query_one("#picker-tree")
        assert box.region.contains_region(tree.region) and tree.region.height >= 2
