"""The real client and app over loopback against the simulator's hostile mode, a looping cursor, an empty account."""

from __future__ import annotations

from batchtui.sim import FaultConfig, SimConfig, Simulator
from batchtui.ui.app import BatchApp
from batchtui.ui.dialogs.confirm_cancel import ConfirmCancel
from batchtui.ui.widgets.batch_detail import COLUMN_GAP, BatchDetail
from batchtui.ui.widgets.batch_table import BatchTable
from tests.support.apps import build_app
from tests.support.notifications import notifications
from tests.support.rendering import (
    assert_terminal_safe,
    plain_text,
    status_fetch,
    status_where,
    widget_lines,
    widget_text,
)
from tests.support.waiting import settle

KEY = "sk-e2e-hostile-key"
HOSTILE_IDS = [
    "batch_hostile_[blink]markup_id",
    "batch_hostile_absurd_numbers",
    "batch_hostile_bare",
    "batch_azure_validating",
    "batch_azure_inprogress",
    "batch_hostile_unknown_status",
    "batch_hostile_markup_and_escapes",
]


def rows(app: BatchApp) -> list[str]:
    return [key.value for key in app.screen.query_one(BatchTable).rows]


def detail(app: BatchApp) -> str:
    lines = app.screen.query_one(BatchDetail).plain_lines()
    return " ".join(" ".join(lines).split())


def side_column(app: BatchApp) -> str:
    """The detail pane's right column alone (timeline, metadata), its folded lines joined."""
    pane = app.screen.query_one(BatchDetail)
    start = (pane.scrollable_content_region.width - COLUMN_GAP) // 2 + COLUMN_GAP
    return "".join(line[start:].strip() for line in pane.plain_lines())


async def select(app: BatchApp, pilot, batch_id: str) -> None:
    assert app.screen.query_one(BatchTable).select_id(batch_id)
    await pilot.pause()
    assert app.screen.selected_id == batch_id


async def test_hostile_batches_are_listed_literally_and_nothing_reaches_the_terminal(clock):
    with Simulator(SimConfig(seed=3, batch_count=4, hostile=True, api_key=KEY), clock=clock) as simulator:
        app = build_app(base_url=simulator.base_url, key=KEY, clock=clock)
        async with app.run_test(size=(160, 60)) as pilot:
            await settle(app, pilot)
            assert rows(app)[: len(HOSTILE_IDS)] == HOSTILE_IDS
            assert app.screen.page.unreadable == 0
            table = "\n".join(widget_lines(app.screen.query_one(BatchTable)))
            assert "batch_hostile_[blin…" in table
            assert_terminal_safe(app)

            await select(app, pilot, "batch_hostile_markup_and_escapes")
            shown = detail(app)
            for literal in ("[bold red]x[/]", "[link=https://evil.example]click[/link]", "run [/]", "␛[31mred␛[0m"):
                assert literal in shown, literal
            assert "␛]52;c;ZWNobyBwd25lZA==␇" in shown and "before␀after" in shown
            assert "␛[2J a key that clears the screen" in shown
            assert "A" * 5000 in side_column(app)  # folded over many lines, but whole
            assert_terminal_safe(app)

            await select(app, pilot, "batch_hostile_[blink]markup_id")
            shown = detail(app)
            assert "batch_hostile_[blink]markup_id" in shown
            assert "[red]fake status: completed[/red]" in shown
            assert "invalid_request: Line has [bold red]x[/] and ␛[31mred␛[0m" in shown
            assert_terminal_safe(app, screenshot=False)

            await select(app, pilot, "batch_hostile_unknown_status")
            assert "paused_for_review?" in detail(app) and "priority high" in detail(app)

            await select(app, pilot, "batch_hostile_absurd_numbers")
            shown = detail(app)
            assert "The server reports more finished requests than the total." in shown
            assert "not a valid time" in shown  # expires_at = 2**63

            await select(app, pilot, "batch_azure_inprogress")
            assert detail(app).startswith("ID batch_azure_inprogress") and "Status in_progress" in detail(app)
            assert_terminal_safe(app)


async def test_the_cancel_dialog_and_toasts_keep_hostile_text_literal(clock):
    with Simulator(SimConfig(seed=3, batch_count=0, hostile=True, api_key=KEY), clock=clock) as simulator:
        app = build_app(base_url=simulator.base_url, key=KEY, clock=clock)
        async with app.run_test(size=(160, 60)) as pilot:
            await settle(app, pilot)
            await select(app, pilot, "batch_hostile_markup_and_escapes")
            await pilot.press("c")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmCancel)
            assert "gpt-4o-mini␛[31mred␛[0m" in widget_text(app.screen.query_one("#confirm-text"))
            assert_terminal_safe(app)
            await pilot.press("n")
            await settle(app, pilot)

            await select(app, pilot, "batch_hostile_[blink]markup_id")
            await pilot.press("y")  # copy the id: a toast that quotes it
            await pilot.pause()
            from textual.widgets._toast import Toast

            toasts = [plain_text(Toast(note).render()) for note in notifications(app)]
            assert any("Copied batch_hostile_[blink]markup_id" in text for text in toasts), toasts
            assert_terminal_safe(app)
            assert not [r for r in simulator.requests if r.method == "POST"]


async def test_a_cursor_that_never_advances_stops_paging_with_a_message(clock):
    config = SimConfig(seed=3, batch_count=30, api_key=KEY, faults=FaultConfig.only(stuck_cursor=True))
    with Simulator(config, clock=clock) as simulator:
        app = build_app(base_url=simulator.base_url, key=KEY, clock=clock, page_size=10)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(app, pilot)
            first = rows(app)
            assert len(first) == 10 and app.screen.check_action("next_page", ()) is True
            await pilot.press("n")
            await settle(app, pilot)
            assert app.screen.page_number == 1 and rows(app) == first
            assert "same batches again" in status_where(app)
            assert app.screen.check_action("next_page", ()) is None
            listed = len(simulator.requests)
            await pilot.press("n", "n", "n")
            await settle(app, pilot)
            assert len(simulator.requests) == listed == 2


async def test_an_empty_account_shows_the_empty_state(clock):
    with Simulator(SimConfig(seed=3, batch_count=0, api_key=KEY), clock=clock) as simulator:
        app = build_app(base_url=simulator.base_url, key=KEY, clock=clock)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(app, pilot)
            notice = app.screen.query_one("#notice")
            assert notice.display and not app.screen.query_one(BatchTable).display
            assert "No batches yet." in widget_text(notice)
            assert status_fetch(app).startswith("Updated")
            assert "last page" in status_where(app)
