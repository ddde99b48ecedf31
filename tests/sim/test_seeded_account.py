from __future__ import annotations

import httpx

from batchtui.sim import ManualClock, SimConfig, Simulator

from .support import StartSim

STATUSES = {"validating", "failed", "in_progress", "finalizing", "completed", "expired", "cancelling", "cancelled"}
FINE_TUNED = "ft:gpt-4o-mini-2024-07-18:acme:triage-v3:B7xq2LmA"
ENDPOINT_MODELS = {
    "/v1/chat/completions": {"gpt-4o-mini", "gpt-4o", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", FINE_TUNED},
    "/v1/responses": {"o4-mini", "o3", "gpt-4.1", "gpt-4.1-mini"},
    "/v1/embeddings": {"text-embedding-3-small", "text-embedding-3-large"},
    "/v1/completions": {"gpt-3.5-turbo-instruct"},
    "/v1/moderations": {"omni-moderation-latest"},
}


def test_the_account_is_deterministic_for_a_seed_and_clock_start() -> None:
    def account(seed: int) -> list[dict]:
        return Simulator(SimConfig(seed=seed), clock=ManualClock(1_764_000_000)).batches()

    assert account(7) == account(7)
    assert account(7) != account(8)


def test_the_seeded_history_covers_every_status_realistically(sim: Simulator, clock: ManualClock) -> None:
    batches = sim.batches()
    assert len(batches) == 64
    assert {batch["status"] for batch in batches} == STATUSES
    progressing = [b for b in batches if b["status"] in {"validating", "in_progress", "finalizing"}]
    assert len(progressing) >= 4
    now = clock.now()
    for batch in batches:
        assert now - 30 * 86400 <= batch["created_at"] <= now
        assert batch["expires_at"] == batch["created_at"] + 86400
        assert batch["model"] in ENDPOINT_MODELS[batch["endpoint"]]
        counts = batch["request_counts"]
        assert counts["completed"] + counts["failed"] <= counts["total"] <= 50_000
        assert (batch["errors"] is not None) == (batch["status"] == "failed")
    for batch in batches:
        if batch["status"] == "completed":
            assert batch["output_file_id"] and batch["error_file_id"]
            assert batch["usage"]["total_tokens"] > 0
            assert batch["completed_at"] >= batch["finalizing_at"] >= batch["in_progress_at"]
        if batch["status"] == "failed":
            assert batch["failed_at"] and batch["errors"]["data"][0]["code"]
        if batch["status"] in {"expired", "cancelled"}:
            counts = batch["request_counts"]
            assert 0 < counts["completed"] + counts["failed"] < counts["total"]
            assert batch["output_file_id"]
    running = [b for b in batches if b["status"] != "completed" and b["created_at"] > now - 600]
    assert len(running) >= 5  # the live ones were created minutes ago
    assert any(b["metadata"] and set(b["metadata"]) >= {"project", "owner", "run"} for b in batches)


def test_active_batches_progress_on_every_refresh_and_complete(
    sim: Simulator, clock: ManualClock, client: httpx.Client
) -> None:
    def snapshot() -> dict[str, dict]:
        return {batch["id"]: batch for batch in client.get("/batches").json()["data"]}

    order = ["validating", "in_progress", "finalizing", "completed"]
    start = snapshot()
    active = [batch_id for batch_id, batch in start.items() if batch["status"] in order[:3]]
    assert len(active) >= 4
    previous = start
    for _ in range(100):  # 500 s of 5-second refreshes
        clock.advance(5)
        current = snapshot()
        for batch_id in active:
            before, after = previous[batch_id], current[batch_id]
            assert order.index(after["status"]) >= order.index(before["status"])
            done_before = before["request_counts"]["completed"] + before["request_counts"]["failed"]
            done_after = after["request_counts"]["completed"] + after["request_counts"]["failed"]
            assert done_after >= done_before
            if before["status"] == after["status"] == "in_progress":
                assert done_after > done_before, "an in-progress batch must move on every refresh"
        previous = current
    assert all(previous[batch_id]["status"] == "completed" for batch_id in active)
    assert all(previous[batch_id]["request_counts"]["total"] > 0 for batch_id in active)


def test_time_scale_speeds_up_the_live_batches(start_sim: StartSim, clock: ManualClock) -> None:
    sim = start_sim(time_scale=0.1)
    clock.advance(60)
    statuses = {batch["status"] for batch in sim.batches()}
    assert not statuses & {"validating", "in_progress", "finalizing", "cancelling"}


def test_arrivals_add_new_batches_at_the_top(start_sim: StartSim, clock: ManualClock) -> None:
    sim = start_sim(arrival_seconds=60)
    before = sim.batches()
    clock.advance(200)
    after = sim.batches()
    assert len(after) > len(before)
    assert after[0]["id"] not in {batch["id"] for batch in before}
    assert after[0]["created_at"] > clock.now() - 200
    clock.advance(86400)  # a long jump lets in only a few recent arrivals, not hundreds
    assert len(sim.batches()) - len(after) <= 4


def test_cancel_goes_through_cancelling_to_cancelled_with_counts_frozen(
    sim: Simulator, clock: ManualClock, client: httpx.Client
) -> None:
    target = next(b for b in client.get("/batches").json()["data"] if b["status"] == "in_progress")
    cancelled = client.post(f"/batches/{target['id']}/cancel")
    assert cancelled.status_code == 200
    batch = cancelled.json()
    assert batch["status"] == "cancelling"
    assert batch["cancelling_at"] == int(clock.now())
    frozen = batch["request_counts"]
    assert frozen["completed"] > 0
    clock.advance(3.5)
    batch = client.get(f"/batches/{target['id']}").json()
    assert batch["status"] == "cancelling"
    assert batch["request_counts"] == frozen
    assert client.post(f"/batches/{target['id']}/cancel").json()["status"] == "cancelling"
    clock.advance(1)
    batch = client.get(f"/batches/{target['id']}").json()
    assert batch["status"] == "cancelled"
    assert batch["cancelled_at"] == batch["cancelling_at"] + 4
    assert batch["request_counts"] == frozen
    assert batch["output_file_id"] is not None
    clock.advance(3600)
    assert client.get(f"/batches/{target['id']}").json()["request_counts"] == frozen


def test_a_validating_batch_can_be_cancelled(sim: Simulator, client: httpx.Client) -> None:
    target = next(b for b in sim.batches() if b["status"] == "validating")
    batch = client.post(f"/batches/{target['id']}/cancel").json()
    assert batch["status"] == "cancelling"
    assert batch["request_counts"]["total"] == 0


def test_cancelling_a_terminal_batch_is_a_409_stating_its_status(sim: Simulator, client: httpx.Client) -> None:
    for status in ("completed", "failed", "expired", "cancelled"):
        target = next(b for b in sim.batches() if b["status"] == status)
        response = client.post(f"/batches/{target['id']}/cancel")
        assert response.status_code == 409
        assert f"'{status}'" in response.json()["error"]["message"]
    assert client.post("/batches/batch_missing/cancel").status_code == 404


def test_the_seeded_cancelling_batch_settles_within_minutes(sim: Simulator, clock: ManualClock) -> None:
    target = next(b for b in sim.batches() if b["status"] == "cancelling")
    clock.advance(300)
    settled = next(b for b in sim.batches() if b["id"] == target["id"])
    assert settled["status"] == "cancelled"
    assert settled["request_counts"] == target["request_counts"]
