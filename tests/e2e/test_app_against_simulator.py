"""The real app and client against the simulator over a real loopback socket: what a user does."""

from __future__ import annotations

from batchtui.ui.dialogs.confirm_cancel import ConfirmCancel
from batchtui.ui.screens.batches import BatchesScreen
from batchtui.ui.widgets.batch_table import BatchTable
from tests.e2e.support import KEY, rows
from tests.support.apps import build_app
from tests.support.waiting import settle, wait_until


def list_requests(simulator):
    return [r for r in simulator.requests if r.method == "GET" and r.path.endswith("/batches")]


async def test_list_pages_forward_and_back_with_after_cursors(simulator, clock):
    app = build_app(base_url=simulator.base_url, key=KEY, clock=clock)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        first_page = rows(app)
        assert len(first_page) == 20
        await pilot.press("n")
        await settle(app, pilot)
        second_page = rows(app)
        assert len(second_page) == 20 and not set(first_page) & set(second_page)
        assert list_requests(simulator)[-1].query.get("after") == first_page[-1]
        await pilot.press("p")
        await settle(app, pilot)
        assert rows(app) == first_page
        assert "after" not in list_requests(simulator)[-1].query
        # Every request carried the key and our user agent.
        assert all(r.headers.get("authorization") == f"Bearer {KEY}" for r in simulator.requests)
        assert all(r.headers.get("user-agent", "").startswith("batchtui/") for r in simulator.requests)


async def test_walks_the_whole_history_to_the_last_page(simulator, clock):
    app = build_app(base_url=simulator.base_url, key=KEY, clock=clock, page_size=25)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        seen: list[str] = []
        for _ in range(20):
            seen += rows(app)
            if app.screen.check_action("next_page", ()) is None:
                break
            await pilot.press("n")
            await settle(app, pilot)
        assert len(seen) == len(set(seen)) >= 60
        assert not app.screen.page.has_more


async def test_progress_moves_without_touching_a_key(simulator, clock):
    app = build_app(base_url=simulator.base_url, key=KEY, clock=clock, refresh=1.0)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        active = next(b for b in screen.page.data if b.status == "in_progress")
        before = active.request_counts.finished
        clock.advance(30)
        fetches = len(list_requests(simulator))

        def progressed() -> bool:
            current = next((b for b in screen.page.data if b.id == active.id), None)
            return current is not None and (current.request_counts.finished or 0) > (before or 0)

        await wait_until(pilot, progressed)
        assert len(list_requests(simulator)) > fetches
        # The refresh is one list request per tick: no per-batch retrieves.
        assert not [r for r in simulator.requests if r.method == "GET" and "/batches/" in r.path]


async def test_cancel_goes_cancelling_then_cancelled(simulator, clock):
    app = build_app(base_url=simulator.base_url, key=KEY, clock=clock)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        screen: BatchesScreen = app.screen
        target = next(b for b in screen.page.data if b.is_cancellable)
        screen.query_one(BatchTable).select_id(target.id)
        await pilot.pause()
        assert screen.selected_id == target.id
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmCancel)
        assert not [r for r in simulator.requests if r.method == "POST"]
        await pilot.press("y")
        await settle(app, pilot)
        posts = [r for r in simulator.requests if r.method == "POST"]
        assert [r.path for r in posts] == [f"/v1/batches/{target.id}/cancel"]
        assert screen.selected_batch.status == "cancelling"
        clock.advance(60)
        await pilot.press("r")
        await settle(app, pilot)
        assert screen.selected_batch.status == "cancelled"
        assert screen.check_action("cancel_batch", ()) is None


async def test_a_wrong_key_shows_the_rejected_state(simulator, clock):
    app = build_app(base_url=simulator.base_url, key="sk-wrong-key-000000", refresh=5.0, clock=clock)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        notice = app.screen.query_one("#notice")
        assert notice.display
        assert "API key rejected" in str(notice.content)
        assert "sk-wrong-key-000000" not in str(notice.content)


async def test_a_base_url_without_v1_gets_a_hint_instead_of_a_bare_404(simulator, clock):
    root = simulator.base_url.removesuffix("/v1")
    app = build_app(base_url=root, key=KEY, clock=clock)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        notice = str(app.screen.query_one("#notice").content)
        assert "404" in notice
        assert "try a base URL ending in /v1" in notice
