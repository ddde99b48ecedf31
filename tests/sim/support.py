"""Helpers shared by the simulator tests."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx

from batchtui.sim import Simulator

StartSim = Callable[..., Simulator]  # the start_sim fixture: SimConfig fields -> a running Simulator


def all_batches(client: httpx.Client, limit: int = 100) -> list[dict]:
    batches: list[dict] = []
    after = None
    while True:
        params = {"limit": limit} | ({"after": after} if after else {})
        page = client.get("/batches", params=params).json()
        batches += page["data"]
        if not page["has_more"]:
            return batches
        after = page["last_id"]


def first_with_status(client: httpx.Client, status: str) -> dict:
    return next(batch for batch in all_batches(client) if batch["status"] == status)


def assert_error(response: httpx.Response, status: int, param: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["message"]
    assert error["type"]
    if param is not None:
        assert error["param"] == param
    return error


def jsonl(content: bytes) -> list[dict]:
    return [json.loads(line) for line in content.splitlines() if line.strip()]
