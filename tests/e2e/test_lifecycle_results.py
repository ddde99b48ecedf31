"""Results and errors of real simulator batches: every line listed, filtered, grouped, saved; keys dimmed where they do not apply."""

from __future__ import annotations

from collections import Counter

import pytest
from textual.widgets import Input

from batchtui.ui.dialogs.save_file import ConfirmOverwrite, SaveFileScreen
from batchtui.ui.file_cache import cached_file
from batchtui.ui.screens.results import ResultsScreen
from batchtui.ui.widgets.result_table import ResultTable
from tests.e2e.support import KEY, content_requests, file_bytes, file_lines, modest, select
from tests.support.apps import build_app
from tests.support.notifications import toasts
from tests.support.rendering import widget_text
from tests.support.waiting import settle, wait_until


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BATCHTUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "cache"


def a_batch(simulator, status: str, *, with_errors: bool = True) -> dict:
    return modest(
        [
            batch
            for batch in simulator.batches()
            if batch["status"] == status
            and (batch["error_file_id"] is not None) == with_errors
            and (status != "completed" or batch["output_file_id"])
        ]
    )


async def open_file(app, pilot, batch_id: str, key: str) -> ResultsScreen:
    await settle(app, pilot)
    await select(app, pilot, batch_id)
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(app.screen, ResultsScreen) and app.screen.indexed is not None)
    await pilot.pause()
    return app.screen


async def test_the_output_file_lists_every_result_and_filters(simulator, clock, cache_dir):
    batch = a_batch(simulator, "completed")
    expected = file_lines(simulator, batch["output_file_id"])
    simulator.clear_requests()
    app = build_app(base_url=simulator.base_url, key=KEY, clock=clock, page_size=100)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_file(app, pilot, batch["id"], "o")
        table = screen.query_one(ResultTable)
        assert [row.custom_id for row in table.rows] == [line["custom_id"] for line in expected]
        assert all(row.status_code == 200 for row in table.rows)
        assert cached_file(app.client.config, batch["output_file_id"]).is_file()
        assert cached_file(app.client.config, batch["output_file_id"]).is_relative_to(cache_dir)

        wanted = expected[len(expected) // 2]["custom_id"]
        await pilot.press("slash")
        await pilot.press(*wanted)
        await wait_until(pilot, lambda: wanted in {row.custom_id for row in table.rows})
        assert all(wanted in row.custom_id or wanted in row.summary for row in table.rows)
        assert len(table.rows) < len(expected)
        await pilot.press("escape")
        await wait_until(pilot, lambda: len(table.rows) == len(expected))

        # A second look comes from the cache.
        await pilot.press("escape")
        await open_file(app, pilot, batch["id"], "o")
        assert len(content_requests(simulator, batch["output_file_id"])) == 1


async def test_the_error_file_groups_failures_most_common_first(simulator, clock):
    batch = a_batch(simulator, "completed")
    expected = file_lines(simulator, batch["error_file_id"])
    app = build_app(base_url=simulator.base_url, key=KEY, clock=clock, page_size=100)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_file(app, pilot, batch["id"], "e")
        table = screen.query_one(ResultTable)
        assert sorted(row.custom_id for row in table.rows) == sorted(line["custom_id"] for line in expected)
        assert all(row.status_code >= 400 for row in table.rows)
        assert f"{len(expected):,} failed" in widget_text(screen.query_one("#results-info"))

        await pilot.press("g")
        await pilot.pause()
        groups = screen.indexed.groups
        counts = Counter(
            (
                (line["response"]["body"]["error"].get("code") or line["response"]["body"]["error"].get("type")),
                line["response"]["body"]["error"]["message"],
            )
            for line in expected
        )
        assert [(group.code, group.message, group.count) for group in groups] == [
            (code, message, count) for (code, message), count in counts.most_common()
        ]
        assert [group.count for group in groups] == sorted((group.count for group in groups), reverse=True)
        shown = widget_text(screen.query_one("#results-groups-text"))
        assert f"{len(expected):,} failed requests in {len(groups)} groups, most common first" in shown


async def test_an_expired_batch_shows_the_requests_the_window_cut_off(simulator, clock):
    batch = a_batch(simulator, "expired")
    app = build_app(base_url=simulator.base_url, key=KEY, clock=clock, page_size=100)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_file(app, pilot, batch["id"], "e")
        codes = {row.error_code for row in screen.query_one(ResultTable).rows}
        assert "batch_expired" in codes
        assert batch["request_counts"]["total"] - batch["request_counts"]["completed"] == len(screen.indexed.index)


async def test_saving_is_atomic_and_asks_before_overwriting(simulator, clock, tmp_path):
    batch = a_batch(simulator, "completed")
    content = file_bytes(simulator, batch["output_file_id"])
    target = tmp_path / f"{batch['output_file_id']}.jsonl"
    target.write_bytes(b"an older download\n")
    app = build_app(base_url=simulator.base_url, key=KEY, clock=clock, page_size=100)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_file(app, pilot, batch["id"], "o")
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveFileScreen))
        assert app.screen.query_one(Input).value == f"./{batch['output_file_id']}.jsonl"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmOverwrite))
        await pilot.press("escape")  # keeps the old file, back to the name
        await wait_until(pilot, lambda: isinstance(app.screen, SaveFileScreen))
        assert target.read_bytes() == b"an older download\n"
        app.screen.query_one(Input).value = "copy.jsonl"
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen and (tmp_path / "copy.jsonl").exists())
        assert (tmp_path / "copy.jsonl").read_bytes() == content
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveFileScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmOverwrite))
        await pilot.press("y")
        await wait_until(pilot, lambda: target.read_bytes() == content)
        await wait_until(pilot, lambda: any("Saved" in note and str(target) in note for note in toasts(app)))
        assert not [path.name for path in tmp_path.iterdir() if path.name.endswith(".part")]


async def test_o_e_and_r_are_dimmed_where_they_do_not_apply(simulator, clock):
    app = build_app(base_url=simulator.base_url, key=KEY, clock=clock, page_size=100)
    cases = {
        "in_progress": a_batch(simulator, "in_progress", with_errors=False),
        "failed": a_batch(simulator, "failed", with_errors=False),
        "completed": a_batch(simulator, "completed"),
        "expired": a_batch(simulator, "expired"),
        "cancelled": a_batch(simulator, "cancelled"),
    }
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        for status, batch in cases.items():
            screen = await select(app, pilot, batch["id"])
            enabled = {key: screen.active_bindings[key].enabled for key in ("o", "e", "R")}
            assert enabled == {
                "o": batch["output_file_id"] is not None,
                "e": batch["error_file_id"] is not None,
                "R": status in ("completed", "expired", "cancelled"),
            }, status
        # Pressed anyway on a batch that is still running: words, not an empty view.
        await select(app, pilot, cases["in_progress"]["id"])
        await pilot.press("o", "e", "R")
        await pilot.pause()
        assert not isinstance(app.screen, ResultsScreen)
        said = toasts(app)
        assert any("has no output file yet" in note for note in said)
        assert any("has no error file yet" in note for note in said)
        assert any("is still in_progress: a retry file can be built once it has ended" in note for note in said)
        assert not [r for r in simulator.requests if "/files/" in r.path]
