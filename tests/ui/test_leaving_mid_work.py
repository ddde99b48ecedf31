"""Any screen can be left at any moment of its work: the work stops or finishes quietly, the app keeps working.

Each test holds the work at one known point (a download half sent, a scan between two progress reports,
a build, an upload, a save), leaves the screen there, lets the work go on, and checks that nothing
crashed and that the batch list still answers keys.
"""

from __future__ import annotations

import json

import pytest

from batchtui.jsonl import retry_file
from batchtui.jsonl.atomic import atomic_write_from
from batchtui.jsonl.preflight import check_input_file
from batchtui.jsonl.result_file import scan_result_file
from batchtui.ui.dialogs.save_file import SaveFileScreen
from batchtui.ui.screens import create_batch, recovery, results
from batchtui.ui.screens.batches import BatchesScreen
from batchtui.ui.screens.create_batch import CreateBatchScreen
from batchtui.ui.screens.recovery import RecoveryScreen
from batchtui.ui.screens.results import ResultsScreen
from batchtui.ui.widgets.step_progress import StepProgress
from tests.support.apps import build_app
from tests.support.batches import numbered_batch
from tests.support.files import fake_cached_file, jsonl, result_line
from tests.support.rendering import widget_text
from tests.support.waiting import settle, wait_until
from tests.ui.work_gates import HeldTransfersAPI, HeldWork, work_finished

INPUT = jsonl(
    [{"custom_id": f"c{i}", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "m"}} for i in range(40)]
)
OUTPUT = jsonl([result_line(f"c{i}") for i in range(0, 40, 2)])
ERRORS = jsonl([result_line(f"c{i}", 429, error={"message": "slow down"}) for i in range(1, 40, 4)])


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BATCHTUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "cache"


def held_api(**fields) -> HeldTransfersAPI:
    files = {"file-in": INPUT, "file-out": OUTPUT, "file-err": ERRORS}
    ids = {"input_file_id": "file-in", "output_file_id": "file-out", "error_file_id": "file-err"}
    batches = [numbered_batch(0, "expired", **ids), numbered_batch(1, "in_progress"), numbered_batch(2, "completed")]
    return HeldTransfersAPI(batches=batches, files=files, **fields)


async def still_working(app, pilot) -> None:
    """Nothing crashed, no work is left running, and the batch list answers keys."""
    await work_finished(app, pilot)
    assert app.is_running and app.return_code is None
    screen = app.screen
    assert isinstance(screen, BatchesScreen)
    before = screen.selected_id
    await pilot.press("down")
    await pilot.pause()
    assert screen.selected_id != before


async def leave(app, pilot) -> None:
    await pilot.press("escape")
    await wait_until(pilot, lambda: isinstance(app.screen, BatchesScreen))


def progress_label(screen) -> str:
    return widget_text(screen.query_one(StepProgress).query_one(".step-label"))


# The results screen


async def test_results_left_at_once():
    app = build_app(transport=held_api().transport())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("o", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, BatchesScreen))
        await still_working(app, pilot)


async def test_results_left_during_the_download():
    api = held_api(held_download="file-out")
    app = build_app(transport=api.transport())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await wait_until(pilot, api.holding.is_set)
        await pilot.pause()
        # The rest of the file arrives while the screen is being taken down.
        api.release.set()
        await leave(app, pilot)
        await still_working(app, pilot)


@pytest.mark.parametrize("moment", ["after the download", "during indexing"])
async def test_results_left_while_indexing(monkeypatch, moment):
    scan = HeldWork(scan_result_file, report_first=moment == "during indexing")
    monkeypatch.setattr(results, "scan_result_file", scan.with_progress)
    app = build_app(transport=held_api().transport())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: scan.gate.reached)
        screen = app.screen
        await wait_until(pilot, lambda: progress_label(screen).startswith("Indexing"))
        await leave(app, pilot)
        scan.gate.open()
        await still_working(app, pilot)
        # Nobody waits for the index any more: the scan ends at its next progress report.
        assert scan.stopped and not scan.finished


def write_large_output(path) -> int:
    """About 30 MB of result lines: long enough to index that the test can leave in the middle."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "x" * 400
    with path.open("w") as file:
        for number in range(50_000):
            file.write(json.dumps(result_line(f"request-{number}", text=text)) + "\n")
    return path.stat().st_size


async def test_results_left_while_a_large_file_is_indexing(cache_dir):
    size = write_large_output(fake_cached_file("file-out"))
    app = build_app(transport=held_api().transport())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        # Not pilot.press: it returns only once the screen is idle, which is after the indexing.
        app.simulate_key("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultsScreen))
        screen = app.screen
        bar = screen.query_one(StepProgress).query_one("ProgressBar")
        await wait_until(pilot, lambda: progress_label(screen).strip() == "Indexing" and 0 < (bar.progress or 0) < size)
        assert screen.indexed is None
        await leave(app, pilot)
        await still_working(app, pilot)


async def test_results_left_while_saving(monkeypatch, tmp_path):
    write = HeldWork(atomic_write_from)
    monkeypatch.setattr(results, "atomic_write_from", write.without_progress)
    app = build_app(transport=held_api().transport())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultsScreen) and app.screen.indexed is not None)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveFileScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: write.gate.reached)
        await leave(app, pilot)
        write.gate.open()
        await still_working(app, pilot)
        # A save the user asked for is finished, not cut: the file is whole.
        assert write.finished and (tmp_path / "file-out.jsonl").read_bytes() == OUTPUT


# The retry screen


async def test_retry_left_at_once():
    app = build_app(transport=held_api().transport())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("R", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, BatchesScreen))
        await still_working(app, pilot)


@pytest.mark.parametrize("file_id", ["file-in", "file-out", "file-err"])
async def test_retry_left_during_a_download(file_id):
    api = held_api(held_download=file_id)
    app = build_app(transport=api.transport())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("R")
        await wait_until(pilot, api.holding.is_set)
        await pilot.pause()
        # The rest of the file arrives while the screen is being taken down.
        api.release.set()
        await leave(app, pilot)
        await still_working(app, pilot)


async def test_retry_left_during_the_build(monkeypatch):
    build = HeldWork(retry_file.build_retry_file)
    monkeypatch.setattr(recovery, "build_retry_file", build.without_progress)
    app = build_app(transport=held_api().transport())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("R")
        await wait_until(pilot, lambda: build.gate.reached)
        screen = app.screen
        assert isinstance(screen, RecoveryScreen)
        await wait_until(pilot, lambda: progress_label(screen).strip() == "Building the retry file")
        await leave(app, pilot)
        build.gate.open()
        await still_working(app, pilot)


async def test_retry_left_while_saving(monkeypatch, tmp_path):
    write = HeldWork(atomic_write_from)
    monkeypatch.setattr(recovery, "atomic_write_from", write.without_progress)
    app = build_app(transport=held_api().transport())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("R")
        await wait_until(pilot, lambda: isinstance(app.screen, RecoveryScreen) and app.screen.report is not None)
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveFileScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: write.gate.reached)
        await leave(app, pilot)
        write.gate.open()
        await still_working(app, pilot)
        assert write.finished and (tmp_path / "batch_0000-retry.jsonl").exists()


# The create screen


@pytest.fixture
def input_file(tmp_path):
    path = tmp_path / "input.jsonl"
    path.write_bytes(INPUT)
    return path


async def open_form(app, pilot) -> CreateBatchScreen:
    await settle(app, pilot)
    await pilot.press("N")
    await wait_until(pilot, lambda: isinstance(app.screen, CreateBatchScreen))
    screen = app.screen
    screen.query_one("#create-path").value = "input.jsonl"
    await wait_until(pilot, lambda: not screen.query_one("#create-endpoint").is_blank())
    return screen


async def test_create_left_during_the_check(monkeypatch, input_file):
    check = HeldWork(check_input_file)
    monkeypatch.setattr(create_batch, "check_input_file", check.with_progress)
    api = held_api()
    app = build_app(transport=api.transport())
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(app, pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: check.gate.reached)
        await leave(app, pilot)
        check.gate.open()
        await still_working(app, pilot)
        assert check.stopped and not check.finished
        assert not api.posts("/files")


async def test_create_left_during_the_upload(input_file):
    api = held_api(hold_upload=True)
    app = build_app(transport=api.transport())
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(app, pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, api.holding.is_set)
        await leave(app, pilot)
        api.release.set()
        await still_working(app, pilot)
        assert not api.posts("/batches")
