"""The sync planner as tables: an index state and what the server said, then the requests it asks for."""

from __future__ import annotations

import pytest

from batchtui.store.planner import (
    HISTORY_PAGE_SIZE,
    ActiveBatch,
    ListPage,
    Mark,
    PageSeen,
    Purpose,
    Retrieve,
    SyncState,
    Wait,
    after_page,
    continue_sweep,
    next_history_request,
    plan_active_refresh,
)

NOW = 1_800_000_000.0
ANCHOR = Mark("batch_anchor", 5_000)
COMPLETE = SyncState(anchor=ANCHOR, backfill_after="batch_last", backfill_done=True)


def page(*ids: str, has_more: bool = True, created: tuple[int, ...] | None = None) -> PageSeen:
    """A page of ids, created one second apart counting down from 9,000 unless given."""
    created_ats = created if created is not None else tuple(9_000 - n for n in range(len(ids)))
    return PageSeen(ids=ids, created_ats=created_ats, has_more=has_more)


def history(after: str | None, purpose: Purpose) -> ListPage:
    return ListPage(after, HISTORY_PAGE_SIZE, purpose)


VISIBLE_TOP = ListPage(None, 20, Purpose.VISIBLE)


@pytest.mark.parametrize(
    ("state", "timing", "expected"),
    [
        (SyncState(), {}, history(None, Purpose.TOP)),
        (SyncState(anchor=ANCHOR, backfill_after="batch_b"), {}, history("batch_b", Purpose.BACKFILL)),
        # A state from an older file: anchored but with no cursor, the backfill starts over from the top.
        (SyncState(anchor=ANCHOR), {}, history(None, Purpose.BACKFILL)),
        (
            SyncState(anchor=ANCHOR, backfill_after="batch_b", catch_up_after="batch_c", catch_up_top=Mark("t", 9)),
            {},
            history("batch_c", Purpose.CATCH_UP),
        ),
        (COMPLETE, {}, None),
        (COMPLETE, {"last_sent_at": NOW - 0.1, "paused_until": NOW + 60}, None),
        (SyncState(anchor=ANCHOR, backfill_after="b"), {"last_sent_at": NOW - 0.25}, Wait(NOW + 0.75)),
        (SyncState(anchor=ANCHOR, backfill_after="b"), {"last_sent_at": NOW - 1.0}, history("b", Purpose.BACKFILL)),
        (SyncState(anchor=ANCHOR, backfill_after="b"), {"paused_until": NOW + 30}, Wait(NOW + 30)),
        (SyncState(anchor=ANCHOR, backfill_after="b"), {"paused_until": NOW - 1}, history("b", Purpose.BACKFILL)),
        (
            SyncState(anchor=ANCHOR, backfill_after="b"),
            {"last_sent_at": NOW - 0.5, "paused_until": NOW + 0.2},
            Wait(NOW + 0.5),
        ),
    ],
)
def test_the_next_history_request(state: SyncState, timing: dict[str, float], expected: object) -> None:
    assert next_history_request(state, now=NOW, **timing) == expected


@pytest.mark.parametrize(
    ("state", "request_", "seen", "expected"),
    [
        # A fresh index meets its first top page: the anchor is set and the backfill starts below it.
        (
            SyncState(),
            VISIBLE_TOP,
            page("batch_1", "batch_2"),
            SyncState(anchor=Mark("batch_1", 9_000), backfill_after="batch_2"),
        ),
        (
            SyncState(),
            VISIBLE_TOP,
            page("batch_1", "batch_2", has_more=False),
            SyncState(anchor=Mark("batch_1", 9_000), backfill_done=True),
        ),
        (SyncState(), VISIBLE_TOP, page(has_more=False), SyncState(backfill_done=True)),
        (SyncState(), history(None, Purpose.TOP), page("batch_1"), SyncState(Mark("batch_1", 9_000), "batch_1")),
        # Later tops: meeting the anchor (by id, or by anything older) moves it up.
        (
            COMPLETE,
            VISIBLE_TOP,
            page("batch_new", "batch_anchor"),
            SyncState(Mark("batch_new", 9_000), "batch_last", True),
        ),
        (
            COMPLETE,
            VISIBLE_TOP,
            page("batch_new", "batch_older", created=(6_000, 4_000)),
            SyncState(Mark("batch_new", 6_000), "batch_last", True),
        ),
        (COMPLETE, VISIBLE_TOP, page("batch_anchor", created=(5_000,)), COMPLETE),
        (COMPLETE, VISIBLE_TOP, page(has_more=False), COMPLETE),
        # A top page that does not reach it: a catch-up below that page, toward the anchor.
        (
            COMPLETE,
            VISIBLE_TOP,
            page("batch_n1", "batch_n2"),
            SyncState(ANCHOR, "batch_last", True, catch_up_after="batch_n2", catch_up_top=Mark("batch_n1", 9_000)),
        ),
        # ... unless the list ended there: then the whole list was on the page.
        (
            COMPLETE,
            VISIBLE_TOP,
            page("batch_n1", has_more=False),
            SyncState(Mark("batch_n1", 9_000), "batch_last", True),
        ),
        # While a gap is open, a top page changes nothing: the anchor waits for the gap to close.
        (
            SyncState(ANCHOR, "b", True, catch_up_after="c", catch_up_top=Mark("t", 8_000)),
            VISIBLE_TOP,
            page("batch_n1", "batch_anchor"),
            SyncState(ANCHOR, "b", True, catch_up_after="c", catch_up_top=Mark("t", 8_000)),
        ),
        # The catch-up walks until it meets the anchor, then its top becomes the anchor.
        (
            SyncState(ANCHOR, "b", True, catch_up_after="c", catch_up_top=Mark("t", 8_000)),
            history("c", Purpose.CATCH_UP),
            page("batch_x", "batch_y"),
            SyncState(ANCHOR, "b", True, catch_up_after="batch_y", catch_up_top=Mark("t", 8_000)),
        ),
        (
            SyncState(ANCHOR, "b", True, catch_up_after="c", catch_up_top=Mark("t", 8_000)),
            history("c", Purpose.CATCH_UP),
            page("batch_x", "batch_anchor", "batch_z"),
            SyncState(Mark("t", 8_000), "b", True),
        ),
        # A server that repeats its page with has_more forever ends the walk instead of looping.
        (
            SyncState(ANCHOR, "b", True, catch_up_after="c", catch_up_top=Mark("t", 8_000)),
            history("c", Purpose.CATCH_UP),
            page("c", "batch_y"),
            SyncState(Mark("t", 8_000), "b", True),
        ),
        # The backfill walks to the end of the list, counting pages and batches.
        (
            SyncState(ANCHOR, "batch_b", backfill_pages=3, backfill_batches=300),
            history("batch_b", Purpose.BACKFILL),
            page("batch_c", "batch_d"),
            SyncState(ANCHOR, "batch_d", backfill_pages=4, backfill_batches=302),
        ),
        (
            SyncState(ANCHOR, "batch_b", backfill_pages=3, backfill_batches=300),
            history("batch_b", Purpose.BACKFILL),
            page("batch_c", has_more=False),
            SyncState(ANCHOR, "batch_c", True, backfill_pages=4, backfill_batches=301),
        ),
        (
            SyncState(ANCHOR, "batch_b"),
            history("batch_b", Purpose.BACKFILL),
            page(),
            SyncState(ANCHOR, "batch_b", True, backfill_pages=1),
        ),
        (
            SyncState(ANCHOR, "batch_b"),
            history("batch_b", Purpose.BACKFILL),
            PageSeen(ids=("batch_c",), created_ats=(1,), has_more=True, last_id="batch_b"),
            SyncState(ANCHOR, "batch_b", True, backfill_pages=1, backfill_batches=1),
        ),
        # Pages deeper in the list that are no walk of their own change nothing.
        (COMPLETE, ListPage("batch_x", 20, Purpose.VISIBLE), page("batch_y"), COMPLETE),
        (COMPLETE, ListPage("batch_x", 100, Purpose.SWEEP), page("batch_y"), COMPLETE),
    ],
)
def test_the_state_after_a_page(state: SyncState, request_: ListPage, seen: PageSeen, expected: SyncState) -> None:
    assert after_page(state, request_, seen) == expected


def test_history_is_complete_only_when_anchored_backfilled_and_without_a_gap() -> None:
    assert COMPLETE.history_complete
    assert not SyncState().history_complete
    assert not SyncState(anchor=ANCHOR).history_complete
    assert not SyncState(ANCHOR, "b", True, catch_up_after="c", catch_up_top=ANCHOR).history_complete


def active(
    batch_id: str, depth: int, *, status: str = "in_progress", refreshed_at: float | None = NOW - 60
) -> ActiveBatch:
    return ActiveBatch(id=batch_id, status=status, created_at=10_000 - depth, refreshed_at=refreshed_at, depth=depth)


@pytest.mark.parametrize(
    ("batches", "visible", "expected"),
    [
        ([], (), ()),
        # Two batches within the first page: one list request beats two retrieves.
        ([active("a", 5), active("b", 30)], (), (ListPage(None, 100, Purpose.SWEEP, until=Mark("b", 9_970)),)),
        # One batch three pages down: one retrieve beats three pages.
        ([active("a", 250)], (), (Retrieve("a"),)),
        ([active("c", 2_000), active("a", 150), active("b", 900)], (), (Retrieve("a"), Retrieve("b"), Retrieve("c"))),
        # A tie (two retrieves or two pages): retrieves, which fetch exactly what is needed.
        ([active("a", 20), active("b", 150)], (), (Retrieve("a"), Retrieve("b"))),
        (
            [active("a", 10), active("b", 20), active("c", 150)],
            (),
            (ListPage(None, 100, Purpose.SWEEP, Mark("c", 9_850)),),
        ),
        # Batches on the visible page are refreshed with it; ended ones are never asked for again.
        ([active("a", 10), active("b", 20), active("c", 30)], ("a", "b"), (Retrieve("c"),)),
        ([active("a", 10, status="completed"), active("b", 400, status="cancelled")], (), ()),
        ([active("a", 10, status="Unknown_new"), active("b", 400, status="expired")], (), (Retrieve("a"),)),
        # Refreshed within this cycle already: wait; never fetched: due.
        ([active("a", 10, refreshed_at=NOW - 5), active("b", 400, refreshed_at=None)], (), (Retrieve("b"),)),
    ],
)
def test_the_refresh_of_active_batches_off_the_page(
    batches: list[ActiveBatch], visible: tuple[str, ...], expected: tuple[object, ...]
) -> None:
    assert plan_active_refresh(batches, visible_ids=visible, now=NOW, interval=30) == expected


SWEEP = ListPage("batch_p", 100, Purpose.SWEEP, until=Mark("batch_old", 5_000))


@pytest.mark.parametrize(
    ("seen", "expected"),
    [
        (page("batch_q", "batch_r"), ListPage("batch_r", 100, Purpose.SWEEP, until=Mark("batch_old", 5_000))),
        (page("batch_q", "batch_old"), None),
        (page("batch_q", created=(4_999,)), None),
        (page("batch_q", has_more=False), None),
        (page("batch_p"), None),
    ],
)
def test_a_sweep_lists_down_to_the_oldest_active_batch(seen: PageSeen, expected: ListPage | None) -> None:
    assert continue_sweep(SWEEP, seen) == expected


def test_a_sweep_without_a_target_stops_at_once() -> None:
    assert continue_sweep(ListPage(None, 100, Purpose.SWEEP), page("batch_a")) is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {
                "data": [{"id": "b1", "created_at": 5}, {"id": "b2", "created_at": "2026-01-01T00:00:00Z"}],
                "has_more": True,
            },
            PageSeen(("b1", "b2"), (5, 1_767_225_600), True),
        ),
        (
            {"data": [{"id": "b1"}, "junk", {"no": "id"}, {"id": 7}], "has_more": "false"},
            PageSeen(("b1",), (None,), False),
        ),
        ({"data": [], "has_more": "True", "last_id": "b9"}, PageSeen((), (), True, "b9")),
        ({"data": [{"id": "b1"}], "has_more": None, "last_id": ""}, PageSeen(("b1",), (None,), False)),
    ],
)
def test_a_page_seen_from_the_json_a_server_sent(body: dict[str, object], expected: PageSeen) -> None:
    data = body["data"]
    assert isinstance(data, list)
    assert PageSeen.from_raw(data, has_more=body["has_more"], last_id=body.get("last_id")) == expected


def test_the_next_cursor_is_last_id_or_the_last_item() -> None:
    assert PageSeen(("a", "b"), (1, 2), True, "z").next_cursor == "z"
    assert PageSeen(("a", "b"), (1, 2), True).next_cursor == "b"
    assert PageSeen((), (), True).next_cursor is None


def test_the_pace_between_history_requests_can_be_set() -> None:
    state = SyncState(anchor=Mark("b9", 100), backfill_after="b5")
    assert next_history_request(state, now=10.05, last_sent_at=10.0, interval=0.1) == Wait(10.1)
    assert isinstance(next_history_request(state, now=10.1, last_sent_at=10.0, interval=0.1), ListPage)
    assert next_history_request(state, now=10.5, last_sent_at=10.0) == Wait(11.0)
