from __future__ import annotations

import httpx
import pytest

from batchtui.sim import FaultConfig, Simulator
from tests.support.loopback import PLAIN_HTTP

from .support import StartSim, all_batches, assert_error


def test_paging_with_after_visits_every_batch_once_newest_first(client: httpx.Client) -> None:
    pages = 0
    seen: list[str] = []
    after = None
    while True:
        params = {"limit": 7} | ({"after": after} if after else {})
        page = client.get("/batches", params=params).json()
        pages += 1
        assert page["object"] == "list"
        assert page["first_id"] == page["data"][0]["id"]
        assert page["last_id"] == page["data"][-1]["id"]
        seen += [batch["id"] for batch in page["data"]]
        if not page["has_more"]:
            break
        assert len(page["data"]) == 7
        after = page["last_id"]
    assert pages == 10  # 64 batches in pages of 7
    assert len(seen) == len(set(seen)) == 64
    created = [batch["created_at"] for batch in all_batches(client)]
    assert created == sorted(created, reverse=True)


def test_default_page_is_20_and_100_is_allowed(client: httpx.Client) -> None:
    assert len(client.get("/batches").json()["data"]) == 20
    page = client.get("/batches", params={"limit": 100}).json()
    assert len(page["data"]) == 64
    assert page["has_more"] is False


@pytest.mark.parametrize("limit", ["0", "101", "abc", "", "-3", "2.5"])
def test_bad_limit_is_a_400_naming_the_parameter(client: httpx.Client, limit: str) -> None:
    error = assert_error(client.get("/batches", params={"limit": limit}), 400, param="limit")
    assert error["type"] == "invalid_request_error"


def test_unknown_cursor_is_a_400_naming_the_cursor(client: httpx.Client) -> None:
    error = assert_error(client.get("/batches", params={"after": "batch_nope"}), 400, param="after")
    assert "batch_nope" in error["message"]


def test_unknown_batch_is_a_404(client: httpx.Client) -> None:
    error = assert_error(client.get("/batches/batch_missing"), 404)
    assert "batch_missing" in error["message"]


def test_a_batch_reads_the_same_alone_and_in_the_list(client: httpx.Client) -> None:
    listed = client.get("/batches", params={"limit": 5}).json()["data"][3]
    assert client.get(f"/batches/{listed['id']}").json() == listed


def test_unknown_route_is_404_and_wrong_method_405(client: httpx.Client) -> None:
    assert_error(client.get("/nothing/here"), 404)
    assert_error(client.get("http://" + client.base_url.netloc.decode() + "/batches"), 404)
    response = client.put("/batches")
    assert_error(response, 405)
    assert response.headers["allow"] == "GET, POST"
    assert_error(client.delete("/batches/batch_x"), 405)
    assert_error(client.options("/batches"), 405)
    head = client.head("/batches")
    assert head.status_code == 405 and head.content == b"" and head.headers["x-request-id"].startswith("req_")
    assert client.get("/batches").status_code == 200  # the connection survived the body-less answer


def test_azure_style_prefixes_and_api_version_are_accepted(client: httpx.Client) -> None:
    expected = client.get("/batches").json()["data"]
    origin = str(client.base_url).removesuffix("/v1/")
    for path in ("/openai/v1/batches", "/openai/batches", "/v1/batches"):
        response = client.get(origin + path, params={"api-version": "2024-10-21"})
        assert response.json()["data"] == expected


def test_an_empty_account_lists_nothing(start_sim: StartSim) -> None:
    sim = start_sim(batch_count=0)
    assert sim.batches() == []
    page = httpx.get(f"{sim.base_url}/batches", verify=PLAIN_HTTP).json()
    assert page == {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}


def test_small_accounts_still_show_a_running_batch(start_sim: StartSim) -> None:
    sim = start_sim(batch_count=3)
    statuses = {batch["status"] for batch in sim.batches()}
    assert statuses == {"in_progress", "completed", "validating"}


def test_stuck_cursor_repeats_the_first_page_forever(sim: Simulator, client: httpx.Client) -> None:
    sim.set_faults(FaultConfig.only(stuck_cursor=True))
    first = client.get("/batches", params={"limit": 10}).json()
    again = client.get("/batches", params={"limit": 10, "after": first["last_id"]}).json()
    assert first["has_more"] is again["has_more"] is True
    assert [b["id"] for b in again["data"]] == [b["id"] for b in first["data"]]
