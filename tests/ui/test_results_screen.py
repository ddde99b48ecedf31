"""The results view: downloaded once into the cache, every line listed, filtered, grouped, opened and saved."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from textual import events
from textual.app import App
from textual.widgets import Input, TextArea

from batchtui.jsonl.result_file import ResultLine
from batchtui.ui.app import stylesheet_dir
from batchtui.ui.dialogs.result_line import ResultLineScreen
from batchtui.ui.dialogs.save_file import ConfirmOverwrite, SaveFileScreen
from batchtui.ui.screens.batches import BatchesScreen
from batchtui.ui.screens.results import ResultsScreen
from batchtui.ui.widgets.result_table import ResultTable
from batchtui.ui.widgets.step_progress import StepProgress
from tests.support.apps import build_app
from tests.support.batches import numbered_batch
from tests.support.files import fake_cached_file, jsonl, result_line
from tests.support.notifications import toasts
from tests.support.rendering import widget_text
from tests.support.waiting import settle, wait_until
from tests.ui.lifecycle_fakes import LifecycleAPI

EXPIRED = {"code": "batch_expired", "message": "This request could not be executed before the window expired."}
OUTPUT = (
    jsonl(
        [
            result_line("alpha", text="The answer is 42."),
            result_line(
                "beta",
                400,
                error={"message": "max_tokens is too large", "type": "invalid_request_error", "code": "invalid_value"},
            ),
            result_line("gamma", text="Ünïcode and \u001b[31mred\u001b[0m escape"),
            result_line(
                "delta",
                400,
                error={"message": "max_tokens is too large", "type": "invalid_request_error", "code": "invalid_value"},
            ),
            result_line("epsilon", None, error=EXPIRED),
        ]
    )
    + b"{this line is broken\n"
)


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BATCHTUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "cache"


@pytest.fixture
def api() -> LifecycleAPI:
    batches = [
        numbered_batch(0, "completed", output_file_id="file-out", error_file_id="file-err"),
        numbered_batch(1, "in_progress"),
        numbered_batch(2, "completed", output_file_id="file-gone"),
    ]
    return LifecycleAPI(batches=batches, files={"file-out": OUTPUT, "file-err": OUTPUT})


async def open_results(app, pilot, batch_id: str = "batch_0000", key: str = "o") -> ResultsScreen:
    await settle(app, pilot)
    main = app.screen
    main.table.select_id(batch_id)
    await pilot.pause()
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(app.screen, ResultsScreen))
    screen = app.screen
    await wait_until(pilot, lambda: screen.indexed is not None or screen.query_one("#results-notice").display)
    await pilot.pause()
    return screen


def shown_rows(table: ResultTable) -> list[str]:
    """What the table draws, line by line, below its header."""
    return [table.render_line(y).text for y in range(1, min(len(table.rows), table.size.height - 1) + 1)]


async def test_every_line_is_listed_with_its_status_and_summary(api):
    app = build_app(transport=api.transport())
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_results(app, pilot)
        table = screen.query_one(ResultTable)
        assert app.focused is table
        assert table.render_line(0).text.split() == ["Line", "custom_id", "Status", "Summary"]
        lines = [" ".join(row.split()) for row in shown_rows(table)]
        assert lines[0] == "1 alpha 200 The answer is 42."
        assert lines[1] == "2 beta 400 HTTP 400 invalid_value: max_tokens is too large"
        assert lines[2].startswith("3 gamma 200 Ünïcode and")
        assert "\x1b" not in lines[2]
        assert (
            lines[4] == "5 epsilon error batch_expired: This request could not be executed before the window expired."
        )
        assert lines[5].startswith("6 — bad unparseable line: invalid JSON")
        info = widget_text(screen.query_one("#results-info"))
        assert "6 results · 3 failed · downloaded to the cache as file-out.jsonl" in info
        assert not screen.query_one(StepProgress).display


async def test_filter_by_custom_id_or_text_and_escape_clears_it(api):
    app = build_app(transport=api.transport())
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_results(app, pilot)
        table = screen.query_one(ResultTable)
        await pilot.press("slash")
        assert app.focused is screen.query_one("#results-filter", Input)
        await pilot.press(*"MAX_TOKENS")
        await wait_until(pilot, lambda: len(table.rows) == 2)
        assert [row.custom_id for row in table.rows] == ["beta", "delta"]
        assert "filter 'MAX_TOKENS': 2 shown" in widget_text(screen.query_one("#results-info"))
        await pilot.press("enter")  # keeps the filter, back to the rows
        assert app.focused is table
        screen.query_one("#results-filter", Input).value = "nothing-like-this"
        await wait_until(pilot, lambda: not table.rows)
        assert "Nothing matches 'nothing-like-this'." in table.render_line(1).text
        await pilot.press("escape")
        await wait_until(pilot, lambda: len(table.rows) == 6)
        assert not screen.query_one("#results-filter").display
        assert "filter '" not in widget_text(screen.query_one("#results-info"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BatchesScreen)


async def test_failures_grouped_by_code_and_message_most_common_first(api):
    app = build_app(transport=api.transport())
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_results(app, pilot, key="e")
        await pilot.press("g")
        await pilot.pause()
        assert screen.query_one("#results-groups").display and not screen.query_one(ResultTable).display
        text = widget_text(screen.query_one("#results-groups-text"))
        assert "3 failed requests in 2 groups, most common first" in text
        first, second = text.index("invalid_value"), text.index("batch_expired")
        assert first < second
        assert "beta, delta" in text
        await pilot.press("g")
        await pilot.pause()
        assert screen.query_one(ResultTable).display


async def test_enter_shows_the_whole_line_pretty_printed_with_controls_escaped(api):
    app = build_app(transport=api.transport())
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_results(app, pilot)
        await pilot.press("down", "down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultLineScreen))
        view = app.screen.query_one(TextArea)
        assert view.read_only and app.focused is view
        assert json.loads(view.text)["custom_id"] == "gamma"
        assert '"custom_id": "gamma",' in view.text.splitlines()[2]
        assert "\x1b" not in view.text and "\\u001b[31mred" in view.text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("end", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultLineScreen))
        assert "not valid JSON" in widget_text(app.screen.query_one("#line-note"))
        assert app.screen.query_one(TextArea).text == "{this line is broken"


async def test_a_cached_file_is_not_downloaded_again(api, cache_dir):
    app = build_app(transport=api.transport())
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_results(app, pilot)
        assert fake_cached_file("file-out").read_bytes() == OUTPUT
        assert fake_cached_file("file-out").is_relative_to(cache_dir)
        assert not list(cache_dir.rglob("*.part"))
        await pilot.press("escape")
        screen = await open_results(app, pilot)
        assert api.content_requests("file-out") == 1
        assert "from the cache as file-out.jsonl" in widget_text(screen.query_one("#results-info"))


async def test_an_expired_output_file_says_so(api):
    app = build_app(transport=api.transport())
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_results(app, pilot, batch_id="batch_0002")
        notice = widget_text(screen.query_one("#results-notice"))
        assert "The output file file-gone is gone from the server (HTTP 404: No such File object: file-gone)." in notice
        assert "deleted when they expire" in notice
        assert not screen.query_one(ResultTable).display
        # Trying again cannot bring a deleted file back.
        for action in ("filter", "save_file", "toggle_groups", "reload"):
            assert not screen.check_action(action, ())


async def test_a_failed_download_can_be_retried(api):
    app = build_app(transport=api.transport())
    async with app.run_test(size=(130, 40)) as pilot:
        await settle(app, pilot)
        api.fail_with = (503, {"error": {"message": "The engine is currently overloaded.", "type": "server_error"}})
        app.screen.table.select_id("batch_0000")
        await pilot.pause()
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultsScreen) and app.screen.retryable_failure)
        screen = app.screen
        assert "(HTTP 503): The engine is currently overloaded." in widget_text(screen.query_one("#results-notice"))
        assert screen.check_action("reload", ())
        api.fail_with = None
        await pilot.press("r")
        await wait_until(pilot, lambda: screen.indexed is not None)
        assert len(screen.query_one(ResultTable).rows) == 6


async def test_o_and_e_are_dimmed_without_a_file_and_say_why_when_pressed(api):
    app = build_app(transport=api.transport())
    async with app.run_test(size=(130, 40)) as pilot:
        await settle(app, pilot)
        main = app.screen
        main.table.select_id("batch_0001")
        await pilot.pause()
        assert not main.active_bindings["o"].enabled and not main.active_bindings["e"].enabled
        await pilot.press("o")
        await pilot.press("e")
        await pilot.pause()
        assert app.screen is main
        notes = toasts(app)
        assert (
            "batch_0001 has no output file yet: it appears when the batch completes, expires or is cancelled." in notes
        )
        assert (
            "batch_0001 has no error file yet: it appears when the batch completes, expires or is cancelled." in notes
        )
        main.table.select_id("batch_0002")
        await pilot.pause()
        assert main.active_bindings["o"].enabled and not main.active_bindings["e"].enabled
        await pilot.press("e")
        await pilot.pause()
        assert "batch_0002 has no error file: no request in it failed." in toasts(app)
        assert not any("/content" in r.url.path for r in api.requests)


async def test_save_writes_the_file_and_never_overwrites_without_asking(api, tmp_path):
    app = build_app(transport=api.transport())
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_results(app, pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveFileScreen))
        assert app.screen.query_one(Input).value == "./file-out.jsonl"
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen and (tmp_path / "file-out.jsonl").exists())
        assert (tmp_path / "file-out.jsonl").read_bytes() == OUTPUT

        (tmp_path / "file-out.jsonl").write_bytes(b"keep me\n")
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveFileScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmOverwrite))
        await pilot.press("n")  # back to the name, nothing written
        await wait_until(pilot, lambda: isinstance(app.screen, SaveFileScreen))
        assert (tmp_path / "file-out.jsonl").read_bytes() == b"keep me\n"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmOverwrite))
        await pilot.press("y")
        await wait_until(pilot, lambda: (tmp_path / "file-out.jsonl").read_bytes() == OUTPUT)
        assert not [path for path in tmp_path.iterdir() if path.name.endswith(".part")]


async def test_a_path_that_cannot_be_written_is_explained_in_the_dialog(api, tmp_path):
    app = build_app(transport=api.transport())
    async with app.run_test(size=(130, 40)) as pilot:
        await open_results(app, pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveFileScreen))
        dialog = app.screen
        for path, words in (("missing/out.jsonl", "There is no folder missing."), (str(tmp_path), "is a folder")):
            dialog.query_one(Input).value = path
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is dialog
            assert words in widget_text(dialog.query_one("#save-message"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)


class TableOnly(App):
    CSS_PATH = [stylesheet_dir() / "lifecycle.tcss"]

    def compose(self):
        yield ResultTable()


async def test_fifty_thousand_rows_show_at_once_and_scroll_to_the_end():
    rows = [
        ResultLine(
            line_number=n + 1, byte_offset=n * 100, custom_id=f"request-{n}", status_code=200, summary=f"answer {n}"
        )
        for n in range(50_000)
    ]
    app = TableOnly()
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(ResultTable)
        table.focus()
        started = time.perf_counter()
        table.show_rows(rows, widest_id=14)
        await pilot.pause()
        # A DataTable took over 10 s to take these rows; drawing only the visible ones takes milliseconds.
        assert time.perf_counter() - started < 1.0
        assert table.render_line(1).text.split()[:2] == ["1", "request-0"]
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor == 49_999
        last = table.render_line(table.scrollable_content_region.height - 1).text.split()
        assert last[:3] == ["50,000", "request-49999", "200"]
        await pilot.press("pageup")
        assert table.cursor == 49_999 - (table.scrollable_content_region.height - 1)


async def test_keys_typed_right_after_d_reach_neither_the_save_dialog_nor_the_results_behind(api):
    app = build_app(transport=api.transport())
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_results(app, pilot)
        groups = screen.query_one("#results-groups")
        assert not groups.display
        # As a terminal delivers them, all at once: `d`, then `g` (group failures) and Enter.
        for key, char in (("d", "d"), ("g", "g"), ("enter", "\r")):
            app._driver.send_message(events.Key(key, char))
        await wait_until(pilot, lambda: isinstance(app.screen, SaveFileScreen))
        await pilot.pause()
        assert not groups.display
        assert isinstance(app.screen, SaveFileScreen)  # Enter, typed ahead, did not save
        assert not list(Path.cwd().glob("*.jsonl"))
