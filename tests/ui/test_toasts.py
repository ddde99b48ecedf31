"""Toasts tell outcomes in a few lines: server text is cleaned, kept literal and cut short, however long it is."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import App
from textual.widgets._toast import Toast

from batchtui.ui.toasts import MAX_TOAST_CELLS, tell, toast_text
from tests.support.apps import build_app
from tests.support.batches import numbered_batch
from tests.support.notifications import notifications
from tests.support.waiting import settle, wait_until
from tests.ui.fake_api import FakeAPI

HUGE_ID = "batch_" + "x" * 10_000


def test_a_huge_id_is_cut_to_a_few_lines_with_an_ellipsis():
    text = toast_text(f"Copied {HUGE_ID}")
    assert cell_len(text) == MAX_TOAST_CELLS
    assert text.startswith("Copied batch_xxx") and text.endswith("…")


def test_control_characters_are_cleaned_before_the_cut():
    text = toast_text("Could not cancel batch_1: \x1b[31mred\x1b[0m\nStatus completed")
    assert text == "Could not cancel batch_1: ␛[31mred␛[0m␊Status completed"
    # Each control character is one cell once cleaned, so the cut still lands on the bound.
    assert cell_len(toast_text("\x07" * 1000)) == MAX_TOAST_CELLS


def test_wide_characters_are_counted_by_the_cells_they_take():
    text = toast_text("批" * 1000)
    assert cell_len(text) <= MAX_TOAST_CELLS and text.endswith("…")


def test_a_message_of_normal_length_is_untouched():
    message = "Saved 1.2 MB to /home/someone/projects/triage/batch_abc123/output/file-abc123.jsonl"
    assert toast_text(message) == message


async def test_markup_in_server_text_stays_literal():
    app = App()
    async with app.run_test() as pilot:
        tell(app, "[bold]not bold[/bold]", title="[red]x")
        await pilot.pause()
        [note] = notifications(app)
        assert note.message == "[bold]not bold[/bold]" and note.title == "[red]x" and not note.markup


async def test_a_toast_about_a_huge_id_stays_small_on_screen():
    api = FakeAPI(batches=[numbered_batch(0, "completed", id=HUGE_ID), numbered_batch(1, "completed")])
    app = build_app(transport=api.transport())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(app, pilot)
        assert app.screen.selected_id == HUGE_ID
        await pilot.press("y")
        await wait_until(pilot, lambda: app.screen.query(Toast))
        await pilot.pause()
        toast = app.screen.query_one(Toast)
        # Half of a 40-line screen before; now the cut message and the toast's padding.
        assert toast.size.height <= 8
        [note] = notifications(app)
        assert cell_len(str(note.message)) == MAX_TOAST_CELLS
