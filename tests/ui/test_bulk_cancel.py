"""`c` with marks: one question listing every marked batch, then one cancel request per cancellable one."""

from __future__ import annotations

import httpx
from textual import events

from batchtui.api.models import Batch
from batchtui.ui.bulk import cancel_plan, why_not_cancel
from batchtui.ui.dialogs.confirm_bulk_cancel import ConfirmBulkCancel
from batchtui.ui.dialogs.confirm_cancel import ConfirmCancel
from batchtui.ui.screens.batches import BatchesScreen
from batchtui.ui.text.bulk import bulk_cancel_question, cancel_summary
from batchtui.ui.widgets.batch_table import BatchTable
from tests.support.apps import build_app
from tests.support.batches import numbered_batch
from tests.support.notifications import toasts
from tests.support.rendering import plain_text, widget_text
from tests.support.waiting import settle, wait_until
from tests.ui.fake_api import error_response

# The fake account's first rows: 0 in_progress, 1 completed, 2 validating, 3 failed, 4 finalizing.
CANCELLABLE = ["batch_0000", "batch_0002", "batch_0004"]


def batch(index: int, status: str) -> Batch:
    return Batch.model_validate(numbered_batch(index, status))


async def mark(app, pilot, rows: list[int]) -> None:
    table = app.screen.query_one(BatchTable)
    for row in rows:
        table.move_cursor(row=row, animate=False)
        await pilot.pause()
        await pilot.press("m")
    await pilot.pause()


# Plain


def test_what_cannot_be_cancelled_and_why():
    assert why_not_cancel(batch(0, "in_progress")) is None
    assert why_not_cancel(batch(0, "validating")) is None
    assert why_not_cancel(batch(0, "completed")) == "already completed"
    assert why_not_cancel(batch(0, "cancelling")) == "already cancelling"
    assert why_not_cancel(batch(0, "paused_by_ops")) == "status 'paused_by_ops' cannot be cancelled"
    plan = cancel_plan([batch(1, "completed"), batch(2, "finalizing"), batch(3, "expired")])
    assert [b.id for b in plan.chosen] == ["batch_0002"]
    assert [(s.batch.id, s.reason) for s in plan.skipped] == [
        ("batch_0001", "already completed"),
        ("batch_0003", "already expired"),
    ]


def test_the_question_lists_every_batch_and_names_the_skipped_ones():
    text = plain_text(bulk_cancel_question(cancel_plan([batch(1, "in_progress"), batch(2, "completed")])), 160)
    assert "Cancel 1 marked batch?" in text
    assert "batch_0001  /v1/chat/completions  1% (11 of 1,000)" in text
    assert "batch_0002  /v1/chat/completions  skipped: already completed" in text


def test_the_summary_names_what_failed_and_what_was_skipped():
    plan = cancel_plan([batch(9, "completed")])
    summary = cancel_summary(["a", "b", "c"], [("batch_x", "Batch is finalizing [bold]")], plan.skipped)
    assert summary == (
        "Cancelling 3 batches; 1 could not be cancelled: batch_x: Batch is finalizing [bold]; "
        "1 skipped (batch_0009: already completed)"
    )
    assert cancel_summary(["a"], [], ()) == "Cancelling 1 batch"


# On the main screen


async def test_y_sends_one_cancel_per_marked_cancellable_batch_and_skips_the_rest(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await mark(app, pilot, [0, 1, 2, 3, 4])
        await pilot.press("c")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmBulkCancel)
        text = widget_text(dialog.query_one("#bulk-cancel-text"), 160)
        for batch_id in ["batch_0000", "batch_0001", "batch_0002", "batch_0003", "batch_0004"]:
            assert batch_id in text
        assert "skipped: already completed" in text and "skipped: already failed" in text
        assert fake_api.count("POST") == 0
        await pilot.press("y")
        await settle(app, pilot)
        assert sorted(r.url.path.split("/")[-2] for r in fake_api.requests if r.method == "POST") == CANCELLABLE
        screen = app.screen
        assert isinstance(screen, BatchesScreen)
        # Cancelled ones are unmarked; the skipped ones keep their marks.
        assert screen.marks.ids == {"batch_0001", "batch_0003"}
        table = screen.query_one(BatchTable)
        for batch_id in CANCELLABLE:
            assert table.get_cell(batch_id, "status").plain.startswith("cancelling")
        assert any(t.startswith("Cancelling 3 batches; 2 skipped") for t in toasts(app)), toasts(app)


async def test_escape_or_n_sends_nothing_and_keys_typed_ahead_do_not_answer(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await mark(app, pilot, [0, 2])
        for key in ("escape", "n"):
            await pilot.press("c")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmBulkCancel)
            await pilot.press(key)
            await settle(app, pilot)
            assert isinstance(app.screen, BatchesScreen)
        # `y` typed in the same read as `c`, before the question was on screen, must not confirm it.
        for key in ("c", "y"):
            app.post_message(events.Key(key, key))
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmBulkCancel) and app.screen.listening)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmBulkCancel)
        await pilot.press("escape")
        await settle(app, pilot)
        assert fake_api.count("POST") == 0
        assert app.screen.marks.ids == {"batch_0000", "batch_0002"}


async def test_a_refused_cancel_is_named_in_the_summary_and_keeps_its_mark(fake_api):
    def handle(request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and "/batch_0002/" in request.url.path:
            fake_api.requests.append(request)
            return error_response(409, "Batch is already finalizing [bold]x[/]")
        return fake_api.handle(request)

    app = build_app(transport=httpx.MockTransport(handle))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await mark(app, pilot, [0, 2])
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert fake_api.count("POST") == 2
        assert app.screen.marks.ids == {"batch_0002"}
        summary = next(t for t in toasts(app) if t.startswith("Cancelling"))
        assert "Cancelling 1 batch; 1 could not be cancelled: batch_0002:" in summary
        assert "Batch is already finalizing [bold]x[/]" in summary


async def test_c_without_marks_keeps_the_single_batch_question(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmCancel)


async def test_marks_none_of_which_can_be_cancelled_say_so_and_send_nothing(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await mark(app, pilot, [1, 3])
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, BatchesScreen)
        assert fake_api.count("POST") == 0
        assert any("None of the 2 marked batches can be cancelled" in t for t in toasts(app))
