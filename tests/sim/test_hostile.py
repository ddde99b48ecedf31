from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from batchtui.sim import ManualClock, Simulator
from tests.support.loopback import PLAIN_HTTP

from .support import StartSim, all_batches


@pytest.fixture
def hostile(start_sim: StartSim) -> Simulator:
    return start_sim(hostile=True)


@pytest.fixture
def hostile_client(hostile: Simulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=hostile.base_url, verify=PLAIN_HTTP) as http:
        yield http


def test_hostile_batches_are_served_verbatim_on_the_first_page(hostile_client: httpx.Client) -> None:
    page = hostile_client.get("/batches").json()["data"]
    by_id = {batch["id"]: batch for batch in page}
    markup = by_id["batch_hostile_markup_and_escapes"]["metadata"]
    assert markup["project"] == "[bold red]x[/]"
    assert markup["owner"] == "[link=https://evil.example]click[/link]"
    assert "\x1b[31m" in markup["ansi"] and markup["osc52"].startswith("\x1b]52;c;")
    assert "\x00" in markup["nul"] and "\x07" in markup["control"]
    assert len(markup["long"]) == 5000 and "🚀" in markup["cjk"] and "日本語" in markup["cjk"]
    assert by_id["batch_hostile_unknown_status"]["status"] == "paused_for_review"
    assert by_id["batch_hostile_unknown_status"]["region"] == {"name": "eu-west", "zones": [1, 2, 3]}
    azure = by_id["batch_azure_inprogress"]
    assert azure["status"] == "InProgress" and azure["created_at"].endswith("Z")
    assert azure["request_counts"] == {"total": None, "completed": None, "failed": None}
    assert by_id["batch_azure_validating"]["status"] == "Validating"
    assert set(by_id["batch_hostile_bare"]) == {
        "id",
        "object",
        "endpoint",
        "input_file_id",
        "completion_window",
        "status",
        "created_at",
    }
    absurd = by_id["batch_hostile_absurd_numbers"]
    assert absurd["in_progress_at"] < 0
    assert absurd["request_counts"]["completed"] > absurd["request_counts"]["total"] == 0
    failed = by_id["batch_hostile_[blink]markup_id"]
    assert "[bold red]x[/]" in failed["errors"]["data"][0]["message"]


def test_every_hostile_batch_can_be_fetched_by_its_quoted_id(hostile_client: httpx.Client) -> None:
    for batch in hostile_client.get("/batches").json()["data"][:7]:
        assert hostile_client.get(f"/batches/{quote(batch['id'], safe='')}").json() == batch


def test_hostile_mode_keeps_paging_whole(hostile_client: httpx.Client) -> None:
    assert len(all_batches(hostile_client, limit=9)) == 64 + 7


def test_an_azure_batch_cancels_in_its_own_dialect(hostile_client: httpx.Client, clock: ManualClock) -> None:
    batch = hostile_client.post("/batches/batch_azure_inprogress/cancel").json()
    assert batch["status"] == "Cancelling" and batch["cancelling_at"].endswith("Z")
    clock.advance(4)
    batch = hostile_client.get("/batches/batch_azure_inprogress").json()
    assert batch["status"] == "Cancelled" and batch["cancelled_at"].endswith("Z")
    response = hostile_client.post("/batches/batch_hostile_unknown_status/cancel")
    assert response.status_code == 409 and "paused_for_review" in response.json()["error"]["message"]


def test_add_batch_puts_any_shape_on_top(sim: Simulator, client: httpx.Client) -> None:
    odd = {"id": "batch_added", "status": "\x1b[5mweird", "created_at": "yesterday", "extra": [1, {"a": None}]}
    assert sim.add_batch(odd) == odd
    odd["status"] = "mutated after adding"
    page = client.get("/batches", params={"limit": 2}).json()
    assert page["data"][0] == {**odd, "status": "\x1b[5mweird"}
    assert client.get("/batches/batch_added").json()["extra"] == [1, {"a": None}]
    assert len(client.get("/batches", params={"after": "batch_added", "limit": 100}).json()["data"]) == 64
    sim.add_batch({"no": "id at all"})
    assert client.get("/batches", params={"limit": 1}).json()["data"] == [{"no": "id at all"}]
