from __future__ import annotations

import contextlib
import json
import time
from collections import Counter

import httpx
import pytest

from batchtui.sim import FaultConfig, FaultKind, Simulator

from .support import assert_error


def test_rate_limits_carry_retry_after_and_sometimes_retry_after_ms(sim: Simulator, client: httpx.Client) -> None:
    sim.set_faults(FaultConfig.only(rate_limit=1.0))
    responses = [client.get("/batches") for _ in range(20)]
    for response in responses:
        error = assert_error(response, 429)
        assert error["code"] == "rate_limit_exceeded"
        assert 1 <= int(response.headers["retry-after"]) <= 3
        if "retry-after-ms" in response.headers:
            assert int(response.headers["retry-after-ms"]) == 1000 * int(response.headers["retry-after"])
        assert response.headers["x-ratelimit-remaining-requests"] == "0"
    assert 0 < sum("retry-after-ms" in response.headers for response in responses) < 20


@pytest.mark.parametrize(("kind", "status"), [("server_error", 500), ("unavailable", 503)])
def test_server_errors_have_json_bodies(sim: Simulator, client: httpx.Client, kind: str, status: int) -> None:
    sim.set_faults(FaultConfig.only(**{kind: 1.0}))
    assert assert_error(client.get("/batches"), status)["type"] == "server_error"


def test_bad_gateway_answers_with_an_nginx_html_page(sim: Simulator, client: httpx.Client) -> None:
    sim.set_faults(FaultConfig.only(bad_gateway=1.0))
    response = client.get("/batches/batch_anything")
    assert response.status_code == 502
    assert response.headers["content-type"] == "text/html"
    assert b"<center>nginx</center>" in response.content
    assert response.headers["x-request-id"].startswith("req_")


def test_garbage_is_a_200_with_json_content_type_that_is_not_json(sim: Simulator, client: httpx.Client) -> None:
    sim.set_faults(FaultConfig.only(garbage=1.0))
    for _ in range(8):
        response = client.get("/batches")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        with pytest.raises(json.JSONDecodeError):
            response.json()


def test_wrong_shape_is_valid_json_that_is_not_a_list_page(sim: Simulator, client: httpx.Client) -> None:
    sim.set_faults(FaultConfig.only(wrong_shape=1.0))
    bodies = [client.get("/batches").json() for _ in range(12)]
    assert {"data": "oops"} in bodies
    for body in bodies:
        assert not (
            isinstance(body, dict)
            and isinstance(body.get("data"), list)
            and all(isinstance(item, dict) and isinstance(item.get("id"), str) for item in body["data"])
            and isinstance(body.get("has_more"), bool)
        )


def test_a_dropped_connection_sends_no_response(sim: Simulator, client: httpx.Client) -> None:
    sim.set_faults(FaultConfig.only(dropped=1.0))
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/batches")
    assert sim.requests[-1].status == 0
    assert sim.requests[-1].fault == "dropped"
    sim.set_faults(None)
    assert client.get("/batches").status_code == 200


def test_slow_responses_arrive_late_but_intact(sim: Simulator, client: httpx.Client) -> None:
    sim.set_faults(FaultConfig.only(slow=1.0, slow_seconds=(0.2, 0.25)))
    started = time.monotonic()
    response = client.get("/batches")
    assert time.monotonic() - started >= 0.2
    assert response.status_code == 200 and len(response.json()["data"]) == 20
    assert sim.requests[-1].fault == "slow"


def test_the_default_mix_produces_every_fault_kind(sim: Simulator, client: httpx.Client) -> None:
    sim.set_faults(FaultConfig(slow_seconds=(0.0, 0.01)))
    for _ in range(400):
        with contextlib.suppress(httpx.RemoteProtocolError):
            client.get("/batches", params={"limit": 1})
    seen = Counter(request.fault for request in sim.requests)
    assert set(seen) == {None, *(kind.value for kind in FaultKind)}
    assert seen[None] > 250


def test_mutations_are_spared_unless_configured(sim: Simulator, client: httpx.Client) -> None:
    running = [b["id"] for b in sim.batches() if b["status"] == "in_progress"]
    sim.set_faults(FaultConfig.only(server_error=1.0))
    assert client.post(f"/batches/{running[0]}/cancel").json()["status"] == "cancelling"
    assert client.get("/batches").status_code == 500
    sim.set_faults(FaultConfig.only(server_error=1.0, on_mutations=True))
    assert client.post(f"/batches/{running[1]}/cancel").status_code == 500
    assert next(b for b in sim.batches() if b["id"] == running[1])["status"] == "in_progress"


def test_create_timeout_once_creates_the_batch_but_loses_the_answer(sim: Simulator, client: httpx.Client) -> None:
    content = b'{"custom_id": "a", "method": "POST", "url": "/v1/embeddings", "body": {"model": "m", "input": "x"}}\n'
    file = client.post("/files", files={"file": ("a.jsonl", content)}, data={"purpose": "batch"}).json()
    sim.set_faults(FaultConfig.only(create_timeout_once=True))
    body = {"input_file_id": file["id"], "endpoint": "/v1/embeddings", "completion_window": "24h"}
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/batches", json=body)
    created = [b for b in sim.batches() if b["input_file_id"] == file["id"]]
    assert len(created) == 1 and sim.requests[-1].fault == "create_timeout"
    assert client.post("/batches", json=body).status_code == 200  # only once
    assert len([b for b in sim.batches() if b["input_file_id"] == file["id"]]) == 2


def test_create_timeout_can_answer_after_the_client_gave_up(sim: Simulator, client: httpx.Client) -> None:
    seeded = next(b for b in sim.batches() if b["status"] == "completed")
    sim.set_faults(FaultConfig.only(create_timeout_once=True, create_timeout_delay=0.5))
    body = {"input_file_id": seeded["input_file_id"], "endpoint": seeded["endpoint"], "completion_window": "24h"}
    with pytest.raises(httpx.ReadTimeout):
        client.post("/batches", json=body, timeout=0.1)
    assert sim.batches()[0]["input_file_id"] == seeded["input_file_id"]
