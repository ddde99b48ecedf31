from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from batchtui.sim import ManualClock, Simulator

from .support import assert_error, jsonl


def chat_requests(count: int, url: str = "/v1/chat/completions") -> bytes:
    lines = [
        {
            "custom_id": f"request-{n}",
            "method": "POST",
            "url": url,
            "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"Question {n}"}]},
        }
        for n in range(1, count + 1)
    ]
    return b"".join(json.dumps(line).encode() + b"\n" for line in lines)


def upload(client: httpx.Client, content: bytes, filename: str = "requests.jsonl", **fields: str) -> httpx.Response:
    return client.post(
        "/files", files={"file": (filename, content, "application/jsonl")}, data={"purpose": "batch", **fields}
    )


def create(client: httpx.Client, **fields: object) -> httpx.Response:
    return client.post("/batches", json={"endpoint": "/v1/chat/completions", "completion_window": "24h", **fields})


def test_upload_create_and_run_to_completion(client: httpx.Client, clock: ManualClock) -> None:
    content = chat_requests(150)
    uploaded = upload(client, content)
    assert uploaded.status_code == 200, uploaded.text
    file = uploaded.json()
    assert file["id"].startswith("file-") and file["object"] == "file"
    assert file["bytes"] == len(content) and file["purpose"] == "batch" and file["status"] == "processed"
    assert file["filename"] == "requests.jsonl"
    assert file["expires_at"] == file["created_at"] + 30 * 86400
    assert client.get(f"/files/{file['id']}").json() == file
    assert client.get(f"/files/{file['id']}/content").content == content

    metadata = {"project": "support-triage", "owner": "dana", "run": "2026-11-03-a"}
    response = create(client, input_file_id=file["id"], metadata=metadata)
    assert response.status_code == 200, response.text
    batch = response.json()
    assert batch["status"] == "validating" and batch["metadata"] == metadata
    assert batch["model"] == "gpt-4o-mini" and batch["input_file_id"] == file["id"]
    assert client.get("/batches", params={"limit": 1}).json()["data"][0]["id"] == batch["id"]

    clock.advance(11)
    batch = client.get(f"/batches/{batch['id']}").json()
    assert batch["status"] == "in_progress" and batch["request_counts"]["total"] == 150
    clock.advance(300)
    batch = client.get(f"/batches/{batch['id']}").json()
    assert batch["status"] == "completed"
    counts = batch["request_counts"]
    assert counts["completed"] + counts["failed"] == 150

    outputs = jsonl(client.get(f"/files/{batch['output_file_id']}/content").content)
    errors = jsonl(client.get(f"/files/{batch['error_file_id']}/content").content) if counts["failed"] else []
    assert len(outputs) == counts["completed"] and len(errors) == counts["failed"]
    assert all(line["response"]["status_code"] == 200 and line["error"] is None for line in outputs)
    assert all(line["response"]["body"]["object"] == "chat.completion" for line in outputs)
    assert all(line["response"]["status_code"] >= 400 for line in errors)
    custom_ids = [line["custom_id"] for line in outputs + errors]
    assert sorted(custom_ids) == sorted(f"request-{n}" for n in range(1, 151))
    assert [line["custom_id"] for line in outputs] != sorted([line["custom_id"] for line in outputs])
    output_file = client.get(f"/files/{batch['output_file_id']}").json()
    assert output_file["purpose"] == "batch_output" and output_file["bytes"] > 0


def test_a_cancelled_upload_batch_lists_exactly_the_unfinished_requests(
    client: httpx.Client, clock: ManualClock
) -> None:
    file = upload(client, chat_requests(400)).json()
    batch = create(client, input_file_id=file["id"]).json()
    clock.advance(40)
    client.post(f"/batches/{batch['id']}/cancel")
    clock.advance(5)
    batch = client.get(f"/batches/{batch['id']}").json()
    assert batch["status"] == "cancelled"
    done = batch["request_counts"]["completed"]
    finished = {line["custom_id"] for line in jsonl(client.get(f"/files/{batch['output_file_id']}/content").content)}
    assert len(finished) == done
    assert 0 < len(finished) < 400


@pytest.mark.parametrize(
    ("fields", "param"),
    [
        ({}, "input_file_id"),
        ({"input_file_id": "file-doesnotexist"}, "input_file_id"),
        ({"input_file_id": "UPLOADED", "endpoint": "/v1/fine_tuning"}, "endpoint"),
        ({"input_file_id": "UPLOADED", "completion_window": "24x"}, "completion_window"),
        ({"input_file_id": "UPLOADED", "completion_window": 24}, "completion_window"),
        ({"input_file_id": "UPLOADED", "metadata": {f"k{n}": "v" for n in range(17)}}, "metadata"),
        ({"input_file_id": "UPLOADED", "metadata": {"k" * 65: "v"}}, "metadata"),
        ({"input_file_id": "UPLOADED", "metadata": {"k": "v" * 513}}, "metadata.k"),
        ({"input_file_id": "UPLOADED", "metadata": {"k": 1}}, "metadata.k"),
        ({"input_file_id": "UPLOADED", "metadata": ["k"]}, "metadata"),
        (
            {"input_file_id": "UPLOADED", "output_expires_after": {"anchor": "created_at", "seconds": 60}},
            "output_expires_after.seconds",
        ),
        ({"input_file_id": "UPLOADED", "priority": "high"}, None),
    ],
)
def test_create_rejects_invalid_requests(client: httpx.Client, fields: dict, param: str | None) -> None:
    file_id = upload(client, chat_requests(3)).json()["id"]
    if fields.get("input_file_id") == "UPLOADED":
        fields["input_file_id"] = file_id
    before = len(client.get("/batches", params={"limit": 100}).json()["data"])
    assert_error(create(client, **fields), 400, param=param)
    assert len(client.get("/batches", params={"limit": 100}).json()["data"]) == before


def test_create_rejects_a_body_that_is_not_a_json_object(client: httpx.Client) -> None:
    assert_error(client.post("/batches", content=b"[1, 2"), 400)
    assert_error(client.post("/batches", json=["input_file_id"]), 400)


def test_create_rejects_an_output_file_as_input(sim: Simulator, client: httpx.Client) -> None:
    completed = next(b for b in sim.batches() if b["status"] == "completed")
    response = create(client, input_file_id=completed["output_file_id"], endpoint=completed["endpoint"])
    assert "purpose" in assert_error(response, 400, param="input_file_id")["message"]


def test_create_accepts_other_windows_and_output_expiry(client: httpx.Client, clock: ManualClock) -> None:
    file_id = upload(client, chat_requests(3)).json()["id"]
    batch = create(
        client,
        input_file_id=file_id,
        completion_window="7d",
        output_expires_after={"anchor": "created_at", "seconds": 3600},
    ).json()
    assert batch["expires_at"] == batch["created_at"] + 7 * 86400
    clock.advance(600)
    batch = client.get(f"/batches/{batch['id']}").json()
    output = client.get(f"/files/{batch['output_file_id']}").json()
    assert output["expires_at"] == output["created_at"] + 3600


def test_a_seeded_input_file_can_be_reused(sim: Simulator, client: httpx.Client) -> None:
    seeded = next(b for b in sim.batches() if b["status"] == "completed")
    batch = create(client, input_file_id=seeded["input_file_id"], endpoint=seeded["endpoint"]).json()
    assert batch["status"] == "validating" and batch["model"] == seeded["model"]


def test_bad_input_lines_fail_the_batch_with_line_numbers(client: httpx.Client, clock: ManualClock) -> None:
    content = chat_requests(5) + b"not json\n" + chat_requests(1, url="/v1/embeddings").replace(b"request-1", b"x-1")
    batch = create(client, input_file_id=upload(client, content).json()["id"]).json()
    assert batch["status"] == "validating"
    clock.advance(11)
    batch = client.get(f"/batches/{batch['id']}").json()
    assert batch["status"] == "failed" and batch["failed_at"] is not None
    errors = batch["errors"]["data"]
    found = [(error["code"], error["line"]) for error in errors]
    assert found == [("invalid_json_line", 6), ("mismatched_endpoint", 7)]
    assert batch["output_file_id"] is None and batch["request_counts"]["total"] == 0


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.post("/files", files={"file": ("a.jsonl", b"{}\n")}, data={"purpose": "fine-tune"}),
        lambda c: c.post("/files", files={"file": ("a.jsonl", b"{}\n")}, data={"purpose": "nonsense"}),
        lambda c: c.post("/files", files={"file": ("a.jsonl", b"{}\n")}),
        lambda c: c.post("/files", data={"purpose": "batch"}, files={"other": ("a.jsonl", b"{}\n")}),
        lambda c: c.post("/files", files={"file": ("a.txt", b"{}\n")}, data={"purpose": "batch"}),
        lambda c: c.post("/files", files={"file": ("a.jsonl", b"\xff\xfe")}, data={"purpose": "batch"}),
        lambda c: c.post("/files", json={"purpose": "batch"}),
        lambda c: c.post(
            "/files", content=b"--x\r\ngarbage", headers={"content-type": "multipart/form-data; boundary=x"}
        ),
        lambda c: c.post(
            "/files",
            files={"file": ("a.jsonl", b"{}\n")},
            data={"purpose": "batch", "expires_after[anchor]": "created_at", "expires_after[seconds]": "5"},
        ),
    ],
)
def test_uploads_reject_non_batch_purposes_and_garbage(
    client: httpx.Client, send: Callable[[httpx.Client], httpx.Response]
) -> None:
    assert_error(send(client), 400)


def test_a_chunked_hand_written_form_uploads(sim: Simulator, client: httpx.Client) -> None:
    content = chat_requests(3)
    body = (
        b'--b0undary\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n'
        b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="hand.jsonl"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n" + content + b"\r\n--b0undary--\r\n"
    )
    response = client.post(
        "/files",
        content=iter([body[:50], body[50:]]),
        headers={"content-type": "multipart/form-data; boundary=b0undary"},
    )
    assert response.status_code == 200, response.text
    assert sim.requests[-1].headers["transfer-encoding"] == "chunked"
    assert client.get(f"/files/{response.json()['id']}/content").content == content


def test_upload_expiry_and_delete(client: httpx.Client) -> None:
    file = upload(
        client, chat_requests(2), **{"expires_after[anchor]": "created_at", "expires_after[seconds]": "7200"}
    ).json()
    assert file["expires_at"] == file["created_at"] + 7200
    deleted = client.delete(f"/files/{file['id']}")
    assert deleted.json() == {"id": file["id"], "object": "file", "deleted": True}
    assert_error(client.get(f"/files/{file['id']}"), 404)
    assert_error(client.get(f"/files/{file['id']}/content"), 404)
    assert_error(client.get("/files/file-unknown"), 404)


def test_files_of_unfinished_batches_do_not_exist_yet(sim: Simulator, client: httpx.Client) -> None:
    running = next(b for b in sim.batches() if b["status"] == "in_progress")
    assert running["output_file_id"] is None
    assert client.get(f"/files/{running['input_file_id']}").status_code == 200


def test_seeded_result_files_agree_with_counts_and_input(sim: Simulator, client: httpx.Client) -> None:
    batches = sim.batches()
    for status in ("completed", "expired", "cancelled"):
        batch = min((b for b in batches if b["status"] == status), key=lambda b: b["request_counts"]["total"])
        inputs = jsonl(client.get(f"/files/{batch['input_file_id']}/content").content)
        assert len(inputs) == batch["request_counts"]["total"]
        assert all(line["url"] == batch["endpoint"] and line["body"]["model"] == batch["model"] for line in inputs)
        outputs = jsonl(client.get(f"/files/{batch['output_file_id']}/content").content)
        errors = jsonl(client.get(f"/files/{batch['error_file_id']}/content").content) if batch["error_file_id"] else []
        executed_errors = [line for line in errors if line["response"] is not None]
        expired = [line for line in errors if line["response"] is None]
        assert len(outputs) == batch["request_counts"]["completed"]
        assert len(executed_errors) == batch["request_counts"]["failed"]
        input_ids = [line["custom_id"] for line in inputs]
        result_ids = [line["custom_id"] for line in outputs + errors]
        assert len(result_ids) == len(set(result_ids)) and set(result_ids) <= set(input_ids)
        if status == "expired":
            assert set(result_ids) == set(input_ids)
            assert expired and all(line["error"]["code"] == "batch_expired" for line in expired)
        else:
            assert not expired
        if status == "completed":
            assert set(result_ids) == set(input_ids)
        assert all(line["id"].startswith("batch_req_") for line in outputs + errors)


def test_a_large_generated_file_streams_in_chunks_with_its_length(sim: Simulator, client: httpx.Client) -> None:
    # Big enough for many chunks, small enough to keep the suite quick.
    completed = [b for b in sim.batches() if b["status"] == "completed" and b["request_counts"]["total"] < 20_000]
    batch = max(completed, key=lambda b: b["request_counts"]["total"])
    file = client.get(f"/files/{batch['output_file_id']}").json()
    received = 0
    chunks = 0
    lines = 0
    with client.stream("GET", f"/files/{file['id']}/content") as response:
        assert int(response.headers["content-length"]) == file["bytes"]
        assert response.headers["x-request-id"].startswith("req_")
        for chunk in response.iter_raw():
            received += len(chunk)
            chunks += 1
            lines += chunk.count(b"\n")
    assert received == file["bytes"] > 5_000_000
    assert chunks > 10
    assert lines == batch["request_counts"]["completed"]


def test_a_large_upload_round_trips(client: httpx.Client) -> None:
    content = chat_requests(40_000)
    file = upload(client, content).json()
    assert file["bytes"] == len(content) > 5_000_000
    assert client.get(f"/files/{file['id']}/content").content == content
