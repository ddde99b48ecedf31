"""The main screen driven by keys, against the in-memory fake API."""

from __future__ import annotations

from textual import events

from batchtui.ui.dialogs.confirm_cancel import ConfirmCancel
from batchtui.ui.screens.batches import BatchesScreen
from batchtui.ui.widgets.batch_detail import BatchDetail
from batchtui.ui.widgets.batch_table import BatchTable
from tests.support.batches import numbered_batch
from tests.support.notifications import notifications
from tests.support.rendering import status_fetch, widget_text
from tests.support.waiting import settle


def table_ids(app) -> list[str]:
    table = app.screen.query_one(BatchTable)
    return [table.coordinate_to_cell_key((row, 0))[0].value for row in range(table.row_count)]


async def test_first_page_shows_rows_and_selects_the_first(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert table_ids(app) == [f"batch_{i:04d}" for i in range(20)]
        assert app.screen.selected_id == "batch_0000"
        assert fake_api.count("GET", "/batches") == 1
        request = fake_api.requests[0]
        assert request.url.params["limit"] == "20"
        assert "after" not in request.url.params


async def test_next_and_previous_page_use_after_cursors(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen.page_number == 2
        assert table_ids(app)[0] == "batch_0020"
        assert fake_api.requests[-1].url.params["after"] == "batch_0019"
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen.page_number == 3
        assert table_ids(app) == [f"batch_{i:04d}" for i in range(40, 45)]
        assert fake_api.requests[-1].url.params["after"] == "batch_0039"
        # Last page: n is dimmed and sends nothing.
        assert app.screen.check_action("next_page", ()) is None
        sent = len(fake_api.requests)
        await pilot.press("n")
        await settle(app, pilot)
        assert len(fake_api.requests) == sent and app.screen.page_number == 3
        # Back twice: the remembered cursors, not a 'before'.
        await pilot.press("p")
        await settle(app, pilot)
        assert app.screen.page_number == 2
        assert fake_api.requests[-1].url.params["after"] == "batch_0019"
        await pilot.press("p")
        await settle(app, pilot)
        assert app.screen.page_number == 1
        assert "after" not in fake_api.requests[-1].url.params
        assert table_ids(app)[0] == "batch_0000"


async def test_previous_is_dimmed_on_the_first_page(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert app.screen.check_action("previous_page", ()) is None
        await pilot.press("p")
        await settle(app, pilot)
        assert fake_api.count("GET", "/batches") == 1


async def test_refresh_updates_rows_in_place_and_keeps_the_selection(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "down", "down")
        assert app.screen.selected_id == "batch_0003"
        # A new batch arrives at the top and a visible one progresses.
        fake_api.batches[3]["request_counts"] = {"total": 1000, "completed": 999, "failed": 1}
        fake_api.batches.insert(0, numbered_batch(99, "validating", id="batch_new"))
        await pilot.press("r")
        await settle(app, pilot)
        ids = table_ids(app)
        assert ids[0] == "batch_new"
        assert app.screen.selected_id == "batch_0003"
        table = app.screen.query_one(BatchTable)
        assert table.cursor_row == ids.index("batch_0003")
        assert "100%" in table.get_cell("batch_0003", "progress").plain
        assert "batch_0019" not in ids  # pushed off the page by the new one


async def test_enter_focuses_the_detail_pane_and_escape_returns(make_app):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        assert isinstance(app.focused, BatchDetail)
        await pilot.press("escape")
        assert isinstance(app.focused, BatchTable)


async def test_g_and_G_jump_to_first_and_last_row(make_app):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("G")
        assert app.screen.selected_id == "batch_0019"
        await pilot.press("g")
        assert app.screen.selected_id == "batch_0000"
        await pilot.press("j", "j", "k")
        assert app.screen.selected_id == "batch_0001"


async def test_cancel_confirmed_sends_exactly_one_post(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert app.screen.selected_id == "batch_0000"  # in_progress
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmCancel)
        assert fake_api.count("POST") == 0
        await pilot.press("y")
        await settle(app, pilot)
        assert fake_api.count("POST", "/batch_0000/cancel") == 1
        assert fake_api.count("POST") == 1
        screen = app.screen
        assert isinstance(screen, BatchesScreen)
        assert screen.selected_batch.status == "cancelling"
        table = screen.query_one(BatchTable)
        assert table.get_cell("batch_0000", "status").plain.startswith("cancelling")


async def test_cancel_aborted_sends_nothing(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        for key in ("n", "escape"):
            await pilot.press("c")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmCancel)
            await pilot.press(key)
            await settle(app, pilot)
            assert isinstance(app.screen, BatchesScreen)
        assert fake_api.count("POST") == 0
        assert app.screen.selected_batch.status == "in_progress"


async def test_cancel_is_dimmed_and_inert_on_terminal_batches(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("down")  # batch_0001: completed
        assert app.screen.selected_batch.status == "completed"
        assert app.screen.check_action("cancel_batch", ()) is None
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, BatchesScreen)
        assert fake_api.count("POST") == 0


async def test_refused_cancel_shows_the_server_message_and_changes_nothing(make_app, fake_api):
    fake_api.cancel_refusal = (
        409,
        {"error": {"message": "Batch is already finalizing [bold]x[/]", "type": "invalid_request_error"}},
    )
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen.selected_batch.status == "in_progress"
        from textual.widgets._toast import Toast

        # Render each toast as Textual will: markup in server text must come out literally.
        toasts = [str(Toast(notification).render()) for notification in notifications(app)]
        assert any("Batch is already finalizing [bold]x[/]" in text for text in toasts), toasts


async def test_a_401_shows_the_api_key_rejected_state(make_app, fake_api):
    fake_api.fail_with = (
        401,
        {
            "error": {
                "message": "Incorrect API key provided.",
                "type": "invalid_request_error",
                "code": "invalid_api_key",
            }
        },
    )
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        notice = app.screen.query_one("#notice")
        assert notice.display is True
        assert app.screen.query_one(BatchTable).display is False
        text = widget_text(notice)
        assert "API key rejected" in text
        assert "Incorrect API key provided." in text
        assert "OPENAI_API_KEY" in text


async def test_failed_refresh_keeps_rows_marks_them_stale_and_recovers(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        fake_api.fail_with = (500, {"error": {"message": "The server had an error", "type": "server_error"}})
        await pilot.press("r")
        await settle(app, pilot)
        assert len(table_ids(app)) == 20
        assert app.screen.query_one(BatchTable).has_class("-stale")
        status = status_fetch(app)
        assert "Stale" in status and "The server had an error" in status
        assert app.screen.check_action("show_error", ()) is True
        assert not notifications(app)  # told once, in the status line, not as toasts
        fake_api.fail_with = None
        await pilot.press("r")
        await settle(app, pilot)
        assert not app.screen.query_one(BatchTable).has_class("-stale")
        assert app.screen.check_action("show_error", ()) is False


async def test_space_pauses_and_resumes(make_app):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("space")
        assert app.screen.paused
        assert "Paused" in status_fetch(app)
        await pilot.press("space")
        assert not app.screen.paused
        assert "next " in status_fetch(app)


async def test_y_copies_the_selected_id(make_app):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "y")
        assert app.clipboard == "batch_0001"
        assert any("Copied batch_0001" in str(n.message) for n in notifications(app))


async def test_help_lists_every_key(make_app):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        from batchtui.ui.dialogs.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(widget_text(w) for w in app.screen.query("Static"))
        for binding in BatchesScreen.BINDINGS:
            if binding.show:
                assert binding.tooltip in shown
        for words in ("Next page of older batches", "Cancel the selected batch", "Quit batchtui", "j k"):
            assert words in shown
        await pilot.press("escape")
        assert isinstance(app.screen, BatchesScreen)


async def test_empty_account_has_a_helpful_empty_state(make_app, fake_api):
    fake_api.batches.clear()
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert "No batches yet" in widget_text(app.screen.query_one("#notice"))
        assert app.screen.check_action("cancel_batch", ()) is None


async def test_rows_stay_visible_while_a_refresh_is_in_flight(make_app, fake_api):
    import asyncio

    import httpx
    from textual.widgets import LoadingIndicator

    gate = asyncio.Event()
    answer = fake_api.handle

    async def slow(request: httpx.Request) -> httpx.Response:
        await gate.wait()
        return answer(request)

    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        app.client._http._transport = httpx.MockTransport(slow)
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert screen.fetching
        # A slow server must not blank the dashboard: no loading overlay, the rows stay.
        assert not screen.loading
        assert not list(app.screen.query(LoadingIndicator))
        assert screen.query_one(BatchTable).display and len(table_ids(app)) == 20
        assert "Refreshing" in status_fetch(screen)
        gate.set()
        await settle(app, pilot)
        assert not screen.fetching


async def test_paging_starts_at_the_top_and_going_back_restores_the_selection(make_app):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "down", "down", "down")
        assert app.screen.selected_id == "batch_0004"
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen.selected_id == "batch_0020"
        await pilot.press("down")
        await pilot.press("p")
        await settle(app, pilot)
        assert app.screen.selected_id == "batch_0004"
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen.selected_id == "batch_0021"


async def test_only_the_cursor_row_is_highlighted_after_moves_and_scrolling(make_app):
    # BatchTable shares row renders between cursor positions: a stale highlight would show here.
    app = make_app()
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(BatchTable)
        cursor_background = table.get_component_rich_style("datatable--cursor").bgcolor

        def highlighted_rows() -> list[int]:
            strips = table.render_lines(table.region.reset_offset)
            rows = []
            for y, strip in enumerate(strips[1:], start=table.scroll_offset.y):  # line 0 is the header
                if any(segment.style and segment.style.bgcolor == cursor_background for segment in strip):
                    rows.append(y)
            return rows

        for keys, row in ((("down",) * 3, 3), (("up",), 2), (("G",), table.row_count - 1), (("g",), 0)):
            await pilot.press(*keys)
            await pilot.pause()
            assert table.cursor_row == row
            assert highlighted_rows() == [row]


async def test_a_key_in_a_burst_acts_on_the_row_the_cursor_reached(make_app):
    # Seen on a real terminal: seven Downs and `o` at once acted on row 4, because the selection
    # followed the table's highlight messages, which arrive after the keys.
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        # All at once, as a terminal delivers them: Pilot.press would wait for idle between keys.
        for key, char in [*[("down", None)] * 7, ("y", "y")]:
            app._driver.send_message(events.Key(key, char))
        await settle(app, pilot)
        assert app.clipboard == "batch_0007"
