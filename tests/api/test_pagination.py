"""iter_batches: follows cursors, stops when it should, and notices a server that loops."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from batchtui.api.client import BatchClient
from batchtui.api.errors import PaginationStalledError
from tests.api.factories import Recorder, make_client
from tests.support.batches import batch_json, page_json


def serve(pages: dict[str | None, dict[str, Any]]) -> Recorder:
    return Recorder(lambda request: httpx.Response(200, json=pages[request.url.params.get("after")]))


async def collect(client: BatchClient, **kwargs: Any) -> list[list[str]]:
    return [[b.id for b in page.data] async for page in client.iter_batches(**kwargs)]


def afters(recorder: Recorder) -> list[str | None]:
    return [r.url.params.get("after") for r in recorder.requests]


async def test_follows_last_id_until_has_more_is_false() -> None:
    recorder = serve(
        {
            None: page_json(["b6", "b5"], has_more=True),
            "b5": page_json(["b4", "b3"], has_more=True),
            "b3": page_json(["b2", "b1"], has_more=False),
        }
    )
    async with make_client(recorder) as client:
        pages = await collect(client, limit=2)
    assert pages == [["b6", "b5"], ["b4", "b3"], ["b2", "b1"]]
    assert afters(recorder) == [None, "b5", "b3"]
    assert all(r.url.params["limit"] == "2" for r in recorder.requests)


async def test_uses_last_id_even_when_it_differs_from_the_last_item() -> None:
    recorder = serve(
        {
            None: page_json(["b6", "b5"], has_more=True, last_id="cursor-xyz"),
            "cursor-xyz": page_json(["b4"]),
        }
    )
    async with make_client(recorder) as client:
        assert await collect(client) == [["b6", "b5"], ["b4"]]
    assert afters(recorder) == [None, "cursor-xyz"]


@pytest.mark.parametrize("missing", ["absent", None, ""])
async def test_falls_back_to_the_last_item_when_last_id_is_missing(missing: object) -> None:
    first = page_json(["b4", "b3"], has_more=True)
    if missing == "absent":
        del first["last_id"]
    else:
        first["last_id"] = missing
    recorder = serve({None: first, "b3": page_json(["b2"])})
    async with make_client(recorder) as client:
        assert await collect(client) == [["b4", "b3"], ["b2"]]
    assert afters(recorder) == [None, "b3"]


async def test_one_page_when_has_more_is_false_or_null() -> None:
    recorder = serve({None: page_json(["b1"], has_more=None)})  # type: ignore[arg-type]
    async with make_client(recorder) as client:
        assert await collect(client) == [["b1"]]
    assert recorder.count == 1


async def test_the_same_page_forever_raises_pagination_stalled() -> None:
    recorder = Recorder(httpx.Response(200, json=page_json(["b2", "b1"], has_more=True)))
    seen: list[list[str]] = []
    async with make_client(recorder) as client:
        with pytest.raises(PaginationStalledError) as caught:
            async for page in client.iter_batches():
                seen.append([b.id for b in page.data])
    assert seen == [["b2", "b1"], ["b2", "b1"]]  # pages already received are still given
    assert recorder.count == 2
    assert "same page" in caught.value.describe()


async def test_a_cursor_that_comes_back_later_is_a_loop_too() -> None:
    recorder = serve(
        {
            None: page_json(["b3"], has_more=True),
            "b3": page_json(["b2"], has_more=True),
            "b2": page_json(["b3"], has_more=True),
        }
    )
    async with make_client(recorder) as client:
        with pytest.raises(PaginationStalledError):
            await collect(client)
    assert afters(recorder) == [None, "b3", "b2"]


async def test_has_more_with_an_empty_page_and_no_cursor_stalls() -> None:
    recorder = Recorder(httpx.Response(200, json={"object": "list", "data": [], "has_more": True}))
    async with make_client(recorder) as client:
        with pytest.raises(PaginationStalledError):
            await collect(client)
    assert recorder.count == 1


async def test_max_pages_stops_an_endless_but_advancing_server() -> None:
    def endless(request: httpx.Request) -> httpx.Response:
        after = int(request.url.params.get("after", "1000"))
        return httpx.Response(200, json=page_json([str(after - 1), str(after - 2)], has_more=True))

    recorder = Recorder(endless)
    async with make_client(recorder) as client:
        pages = await collect(client, max_pages=3)
    assert pages == [["999", "998"], ["997", "996"], ["995", "994"]]
    assert recorder.count == 3


async def test_unreadable_items_do_not_break_paging() -> None:
    first = page_json(["b3"], has_more=True)
    first["data"].append({"id": "b2"})  # missing what every batch has
    first["last_id"] = "b2"
    recorder = serve({None: first, "b2": page_json(["b1"])})
    async with make_client(recorder) as client:
        pages = [page async for page in client.iter_batches()]
    assert [(len(p.data), p.unreadable) for p in pages] == [(1, 1), (1, 0)]
    assert afters(recorder) == [None, "b2"]


async def test_status_filters_run_on_the_client() -> None:
    recorder = serve({None: {**page_json([]), "data": [batch_json("b2", status="completed"), batch_json("b1")]}})
    async with make_client(recorder) as client:
        page = await client.list_batches()
    assert [b.id for b in page.data if b.is_terminal] == ["b2"]
    assert set(recorder.requests[0].url.params) == {"limit"}
