from __future__ import annotations

import httpx

from batchtui.sim import FaultConfig, Simulator


def test_every_request_is_recorded_with_what_was_answered(sim: Simulator, client: httpx.Client) -> None:
    client.get("/batches", params={"limit": 3, "after": "batch_nope"}, headers={"X-Custom": "Yes"})
    client.post("/batches/batch_missing/cancel", content=b"{}")
    client.put("/batches")
    first, second, third = sim.requests
    assert (first.method, first.path, first.query, first.status) == (
        "GET",
        "/v1/batches",
        {"limit": "3", "after": "batch_nope"},
        400,
    )
    assert first.headers["x-custom"] == "Yes" and first.body == b""
    assert (second.method, second.path, second.body, second.status) == (
        "POST",
        "/v1/batches/batch_missing/cancel",
        b"{}",
        404,
    )
    assert third.status == 405 and third.fault is None
    sim.set_faults(FaultConfig.only(rate_limit=1.0))
    client.get("/batches")
    assert sim.requests[-1].status == 429 and sim.requests[-1].fault == "rate_limit"
    sim.clear_requests()
    assert sim.requests == []


def test_the_log_is_a_snapshot(sim: Simulator, client: httpx.Client) -> None:
    snapshot = sim.requests
    client.get("/batches")
    assert snapshot == [] and len(sim.requests) == 1


def test_every_response_carries_a_request_id_and_json_content_type(sim: Simulator, client: httpx.Client) -> None:
    responses = [client.get("/batches"), client.get("/batches/nope"), client.get("/elsewhere"), client.patch("/files")]
    ids = {response.headers["x-request-id"] for response in responses}
    assert len(ids) == 4 and all(request_id.startswith("req_") for request_id in ids)
    assert {response.headers["content-type"] for response in responses} == {"application/json"}


def test_stop_ends_keep_alive_connections_too(sim: Simulator, client: httpx.Client) -> None:
    assert client.get("/batches").status_code == 200
    sim.stop()
    try:
        client.get("/batches")
    except httpx.TransportError:
        pass
    else:
        raise AssertionError("a stopped simulator answered")
    assert len(sim.requests) == 1
