"""Bulk actions on marked batches against the simulator: one cancel request each, outputs saved into a folder."""

from __future__ import annotations

import pytest

from batchtui.ui.dialogs.choose_folder import ChooseFolder
from batchtui.ui.dialogs.confirm_bulk_cancel import ConfirmBulkCancel
from batchtui.ui.screens.batches import BatchesScreen
from tests.e2e.support import KEY, file_bytes, select
from tests.support.apps import build_app
from tests.support.notifications import toasts
from tests.support.waiting import settle, wait_until


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BATCHTUI_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def cancel_posts(simulator) -> list[str]:
    return [r.path for r in simulator.requests if r.method == "POST" and r.path.endswith("/cancel")]


async def mark(app, pilot, batch_ids) -> BatchesScreen:
    for batch_id in batch_ids:
        screen = await select(app, pilot, batch_id)
        await pilot.press("m")
    await pilot.pause()
    assert screen.marks.ids == set(batch_ids)
    return screen


async def test_three_marked_batches_y_three_cancel_requests(simulator, clock):
    app = build_app(base_url=simulator.base_url, key=KEY, clock=clock, page_size=100)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        cancellable = [b.id for b in app.screen.page.data if b.is_cancellable][:3]
        finished = next(b.id for b in app.screen.page.data if b.is_terminal)
        assert len(cancellable) == 3
        screen = await mark(app, pilot, [*cancellable, finished])
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmBulkCancel) and app.screen.listening)
        assert cancel_posts(simulator) == []
        await pilot.press("y")
        await settle(app, pilot)
        assert sorted(cancel_posts(simulator)) == sorted(f"/v1/batches/{batch_id}/cancel" for batch_id in cancellable)
        assert [r for r in simulator.requests if r.method == "POST" and not r.path.endswith("/cancel")] == []
        assert screen.marks.ids == {finished}
        statuses = {b.id: b.status for b in screen.page.data}
        assert all(statuses[batch_id] == "cancelling" for batch_id in cancellable)
        assert any(note.startswith("Cancelling 3 batches; 1 skipped") for note in toasts(app))


async def test_d_saves_each_marked_output_into_the_folder_without_overwriting(simulator, clock, tmp_path):
    folder = tmp_path / "outputs"
    folder.mkdir()
    app = build_app(base_url=simulator.base_url, key=KEY, clock=clock, page_size=100)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        data = app.screen.page.data
        # The two smallest: the test is about names in the folder, and both files are read back whole.
        with_output = sorted((b for b in data if b.output_file_id), key=lambda b: b.request_counts.total)[:2]
        without = next(b for b in data if not b.output_file_id)
        assert len(with_output) == 2
        # A file of the usual name is already there: it is kept, and the output goes beside it.
        taken = folder / f"{with_output[1].id}_output.jsonl"
        taken.write_text("mine\n")
        await mark(app, pilot, [b.id for b in with_output] + [without.id])
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseFolder) and app.screen.listening)
        app.screen.query_one("#folder-path").value = str(folder)
        await pilot.press("enter")
        await wait_until(pilot, lambda: any(note.startswith("Saved") for note in toasts(app)))
        await settle(app, pilot)
        first, second = with_output
        assert (folder / f"{first.id}_output.jsonl").read_bytes() == file_bytes(simulator, first.output_file_id)
        assert (folder / f"{second.id}_output-2.jsonl").read_bytes() == file_bytes(simulator, second.output_file_id)
        assert taken.read_text() == "mine\n"
        assert sorted(path.name for path in folder.iterdir()) == sorted(
            [f"{first.id}_output.jsonl", f"{second.id}_output.jsonl", f"{second.id}_output-2.jsonl"]
        )
        summary = next(note for note in toasts(app) if note.startswith("Saved"))
        assert summary.startswith(f"Saved 2 output files into {folder}")
        assert "1 numbered (name taken)" in summary
        assert f"1 skipped ({without.id}: " in summary


async def test_d_without_marks_says_how_to_mark(simulator, clock):
    app = build_app(base_url=simulator.base_url, key=KEY, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        assert app.screen.check_action("download_marked", ()) is False
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, BatchesScreen)
        assert "Mark batches with m first: their output files are saved." in toasts(app)
