"""Hostile and odd server data, through the fake API: shown literally, never executed, never a crash."""

from __future__ import annotations

import httpx
from rich.cells import cell_len

from batchtui.sim.hostile import ANSI_RED, CJK_EMOJI, CLIPBOARD_WRITE, CONTROL, LINK, MARKUP, NUL
from batchtui.ui.app import BatchApp
from batchtui.ui.dialogs.confirm_cancel import ConfirmCancel
from batchtui.ui.dialogs.error_details import ErrorDetails
from batchtui.ui.widgets.batch_detail import BatchDetail
from batchtui.ui.widgets.batch_table import COLUMNS, BatchTable
from tests.support.apps import build_app
from tests.support.batches import NOW, batch_json, numbered_batch
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
from tests.ui.fake_api import FakeAPI

LONG = "A" * 5000
WIDTH = {key: width for key, _, width in COLUMNS}


def hostile_api() -> FakeAPI:
    return FakeAPI(
        batches=[
            numbered_batch(
                0,
                "in_progress",
                id="batch_markup",
                model=f"{ANSI_RED}[bold red]x[/]",
                endpoint=LINK,
                metadata={"project": MARKUP, "owner": LINK, "osc": CLIPBOARD_WRITE, "ctl": CONTROL, "nul": NUL},
                errors={"object": "list", "data": [{"code": "x", "message": f"{MARKUP} {ANSI_RED}", "line": 2}]},
            ),
            numbered_batch(1, "completed", id="batch_long", model=LONG, metadata={"long": LONG}),
            numbered_batch(2, "paused_for_review", id="batch_unknown", priority="high", region={"zones": [1, 2]}),
            numbered_batch(
                3,
                "completed",
                id="batch_absurd",
                created_at=-86400,
                in_progress_at=-1,
                completed_at=10**30,
                expires_at=2**63,
                request_counts={"total": 10, "completed": 5000, "failed": -7},
                usage={"input_tokens": 10**30, "output_tokens": -1, "total_tokens": "many"},
            ),
            numbered_batch(4, "failed", id="batch_zero", request_counts={"total": 0, "completed": 0, "failed": 0}),
            # Only what the spec requires; optional fields absent.
            batch_json(
                "batch_bare",
                endpoint="/v1/embeddings",
                input_file_id="file-bare",
                status="validating",
                created_at=NOW - 60,
            ),
            numbered_batch(
                6,
                "expired",
                id="batch_nulls",
                model=None,
                request_counts=None,
                metadata=None,
                usage=None,
                expires_at=None,
                errors=None,
                output_file_id=None,
            ),
            numbered_batch(
                7,
                "InProgress",
                id="batch_azure",
                created_at="2025-11-24T15:00:00Z",
                request_counts={"total": None, "completed": None, "failed": None},
            ),
        ]
    )


def detail_text(app: BatchApp) -> str:
    lines = app.screen.query_one(BatchDetail).plain_lines()
    return "\n".join(lines)


async def select(app: BatchApp, pilot, batch_id: str) -> None:
    assert app.screen.query_one(BatchTable).select_id(batch_id)
    await pilot.pause()
    assert app.screen.selected_id == batch_id


async def test_every_odd_batch_is_listed_and_each_detail_renders():
    app = build_app(transport=hostile_api().transport())
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(BatchTable)
        api_ids = [b["id"] for b in hostile_api().batches]
        assert table.row_count == len(api_ids)
        assert app.screen.page.unreadable == 0
        for batch_id in api_ids:
            await select(app, pilot, batch_id)
            assert batch_id in detail_text(app)
            assert_terminal_safe(app, screenshot=False)
        # Walking the rows with the keyboard renders each detail too.
        await pilot.press("g", *["j"] * len(api_ids))
        assert app.screen.selected_id == api_ids[-1]


async def test_markup_and_escapes_are_shown_as_text_in_table_and_detail():
    app = build_app(transport=hostile_api().transport())
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        await select(app, pilot, "batch_markup")
        table = "\n".join(widget_lines(app.screen.query_one(BatchTable)))
        detail = detail_text(app)
        # Markup stays literal: the brackets are on screen, and "click" did not become a link.
        assert "[bold red]x[/]" in table
        assert "project=[bold red]x[/]" in table
        assert "[bold red]x[/]" in detail and LINK in detail
        # Escapes and controls become visible pictures: ESC as ␛, BEL as ␇, NUL as ␀, DEL as ␡.
        assert "␛[31mred␛[0m" in detail
        assert "␛]52;c;ZWNobyBwd25lZA==␇" in detail
        assert "before␀after" in detail and "del␡" in detail
        assert "␛[31m" in table
        assert_terminal_safe(app)


async def test_huge_strings_are_cut_in_the_table_and_whole_in_the_detail_pane():
    app = build_app(transport=hostile_api().transport())
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(app, pilot)
        await select(app, pilot, "batch_long")
        table = app.screen.query_one(BatchTable)
        model_cell = table.get_cell("batch_long", "model")
        assert cell_len(model_cell.plain) == WIDTH["model"] and model_cell.plain.endswith("…")
        assert max(cell_len(line) for line in widget_lines(table)) <= table.size.width
        # The detail pane wraps: both 5000-character values (model and metadata) are there in full.
        detail = detail_text(app)
        assert detail.count("A") >= 2 * len(LONG), detail.count("A")
        assert max(cell_len(line) for line in detail.splitlines()) <= app.screen.query_one("#detail").size.width


async def test_wide_characters_keep_the_table_columns_aligned():
    words = ["日本語", "🚀🔥", "한국어", "👩\u200d💻", "ｆｕｌｌ", "e\u0301e\u0301", "plain"]
    api = FakeAPI(
        batches=[
            numbered_batch(
                i,
                "completed" if i % 2 else "in_progress",
                id=f"batch_{word}_{i}",
                model=word * (i + 1),
                metadata={word: CJK_EMOJI},
            )
            for i, word in enumerate(words)
        ]
    )
    app = build_app(transport=api.transport())
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(BatchTable)
        rows = [line for line in widget_lines(table)[1 : table.row_count + 1]]
        assert len(rows) == len(words)
        assert len({cell_len(line) for line in rows}) == 1, [cell_len(line) for line in rows]
        # The status column starts at the same cell in every row, whatever the wide ids before it.
        starts = set()
        for line in rows:
            status = "completed" if "completed" in line else "in_progress"
            starts.add(cell_len(line[: line.index(status)]))
        before_status = [column for column in table.ordered_columns][: table.get_column_index("status")]
        assert starts == {1 + sum(column.width + 2 for column in before_status)}, starts
        # Too wide for its column: cut by cells, with an ellipsis, not cropped mid-character by the table.
        for batch_id in (f"batch_{word}_{i}" for i, word in enumerate(words)):
            for key in ("id", "model"):
                cell = table.get_cell(batch_id, key).plain
                assert cell_len(cell) <= WIDTH[key], (key, cell)
        assert table.get_cell("batch_plain_6", "model").plain.endswith("…")
        assert table.get_cell("batch_日本語_0", "id").plain == "batch_日本語_0"
        # 한국어 ×3 is 18 cells; 14 fit: six double-width characters and the ellipsis (the seventh would not fit).
        assert table.get_cell("batch_한국어_2", "model").plain == "한국어한국어…"
        assert_terminal_safe(app)


async def test_unknown_status_extra_fields_and_absurd_numbers_read_as_something():
    app = build_app(transport=hostile_api().transport())
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(BatchTable)
        assert table.get_cell("batch_unknown", "status").plain == "paused_for…"
        await select(app, pilot, "batch_unknown")
        detail = " ".join(detail_text(app).split())
        assert "paused_for_review?" in detail
        assert "Other fields from the server" in detail and "priority high" in detail and '{"zones": [1, 2]}' in detail
        # An unknown status is not offered for cancelling.
        assert app.screen.check_action("cancel_batch", ()) is None

        await select(app, pilot, "batch_absurd")
        detail = " ".join(detail_text(app).split())
        assert "The server reports more finished requests than the total." in detail
        assert "not a valid time" in detail  # 10**30 and 2**63 are no dates
        assert "100%" in table.get_cell("batch_absurd", "progress").plain

        assert table.get_cell("batch_zero", "progress").plain == "0 requests"
        assert table.get_cell("batch_azure", "status").plain.startswith("in_progress")
        assert table.get_cell("batch_nulls", "model").plain == "—"
        assert table.get_cell("batch_bare", "progress").plain == "counting requests…"


async def test_the_cancel_dialog_shows_server_text_literally():
    app = build_app(transport=hostile_api().transport())
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(app, pilot)
        await select(app, pilot, "batch_markup")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmCancel)
        dialog = " ".join(widget_text(app.screen.query_one("#confirm-text")).split())
        assert "␛[31mred␛[0m[bold red]x[/]" in dialog
        assert LINK in dialog
        assert_terminal_safe(app)


async def test_error_messages_and_toasts_show_server_text_literally():
    hostile_message = f"{MARKUP} {LINK} {ANSI_RED} {CLIPBOARD_WRITE}"
    api = hostile_api()
    api.cancel_refusal = (409, {"error": {"message": hostile_message, "type": "invalid_request_error"}})
    app = build_app(transport=api.transport())
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(app, pilot)
        await select(app, pilot, "batch_markup")
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        from textual.widgets._toast import Toast

        toasts = [" ".join(plain_text(Toast(note).render()).split()) for note in notifications(app)]
        literal = "[bold red]x[/] [link=https://evil.example]click[/link] ␛[31mred"
        assert any(literal in text for text in toasts), toasts
        assert_terminal_safe(app)

        # The same words as a refresh error: status line and the details screen.
        api.fail_with = (500, {"error": {"message": hostile_message, "type": "server_error", "code": "[b]c[/b]"}})
        await pilot.press("r")
        await settle(app, pilot)
        status = status_fetch(app)
        assert "[bold red]x[/] [link=https://evil.example]" in status, status
        assert_terminal_safe(app)
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, ErrorDetails)
        details = " ".join("\n".join(widget_lines(app.screen.query_one("#error-dialog Static"))).split())
        assert "␛]52;c;ZWNobyBwd25lZA==␇" in details and "Code: [b]c[/b]" in details, details
        assert_terminal_safe(app)


async def test_a_server_that_says_has_more_forever_stops_paging_with_a_message():
    first = [numbered_batch(i) for i in range(3)]
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        # Whatever the cursor, the same first page and has_more: true.
        body = {"object": "list", "data": first, "first_id": "batch_0000", "last_id": "batch_0002", "has_more": True}
        return httpx.Response(200, json=body)

    transport = httpx.MockTransport(handler)
    app = build_app(transport=transport, page_size=3)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert screen.check_action("next_page", ()) is True
        await pilot.press("n")
        await settle(app, pilot)
        assert screen.page_number == 1
        page_info = status_where(screen)
        assert "same batches again" in page_info, page_info
        assert screen.check_action("next_page", ()) is None
        # n is now inert: no request loops behind the user's back.
        assert [r.url.params.get("after") for r in requests] == [None, "batch_0002"]
        await pilot.press("n", "n", "n")
        await settle(app, pilot)
        assert screen.page_number == 1 and len(requests) == 2
        assert [row.value for row in screen.query_one(BatchTable).rows] == ["batch_0000", "batch_0001", "batch_0002"]


async def test_an_empty_account_shows_the_empty_state():
    app = build_app(transport=FakeAPI(batches=[]).transport())
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        notice = app.screen.query_one("#notice")
        assert notice.display
        assert "No batches yet." in widget_text(notice)
        assert "Loading" not in status_fetch(app)
        assert app.screen.check_action("next_page", ()) is None
        assert app.screen.check_action("cancel_batch", ()) is None


async def test_a_timestamp_past_a_floats_range_does_not_sink_the_page():
    # JSON integers have no limit; Python parses this one fine.
    api = FakeAPI(batches=[numbered_batch(0), numbered_batch(1, id="batch_far_future", completed_at=10**400)])
    app = build_app(transport=api.transport())
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(app, pilot)
        assert app.screen.error is None, app.screen.error
        assert app.screen.query_one(BatchTable).row_count >= 1
        await select(app, pilot, "batch_far_future")
        assert "not a valid time" in detail_text(app)


async def test_a_page_of_only_unreadable_items_is_not_an_empty_account():
    api = FakeAPI(batches=[numbered_batch(i) for i in range(5)])
    broken = False

    def handler(request: httpx.Request) -> httpx.Response:
        if broken:
            return httpx.Response(200, json={"object": "list", "data": [{"id": 42}], "has_more": "yes"})
        return api.handle(request)

    app = build_app(transport=httpx.MockTransport(handler))
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        broken = True
        await pilot.press("r")
        await settle(app, pilot)
        table = app.screen.query_one(BatchTable)
        assert "No batches yet" not in widget_text(app.screen.query_one("#notice"))
        assert table.display and table.row_count == 5 and table.has_class("-stale")
        assert app.screen.error is not None
