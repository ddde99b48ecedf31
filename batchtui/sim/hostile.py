"""Batches whose server text tries to break a terminal UI, and shapes the spec never promised.

Served verbatim (see Store.add_raw_batch): the client must escape, strip and tolerate all of it.
"""

from __future__ import annotations

import time

MARKUP = "[bold red]x[/]"
LINK = "[link=https://evil.example]click[/link]"
ANSI_RED = "\x1b[31mred\x1b[0m"
CLIPBOARD_WRITE = "\x1b]52;c;ZWNobyBwd25lZA==\x07"  # OSC 52: asks the terminal to set the clipboard
CONTROL = "bell\x07 backspace\x08 cr\r tab\t vtab\x0b formfeed\x0c del\x7f c1\x9b"
NUL = "before\x00after"
LONG = "A" * 5000
CJK_EMOJI = "日本語のバッチ 🚀🔥 한국어 中文 👩‍💻"


def hostile_batches(now: float) -> list[dict]:
    """Oldest first, all created within the last hour so they sit on the first page."""
    return [
        _markup_batch(now - 3000),
        _unknown_status_batch(now - 2400),
        _azure_batch(now - 1800, "InProgress"),
        _azure_batch(now - 1500, "Validating"),
        _bare_batch(now - 1200),
        _absurd_batch(now - 600),
        _failed_with_markup_errors(now - 300),
    ]


def _base(batch_id: str, created_at: float, status: str) -> dict:
    return {
        "id": batch_id,
        "object": "batch",
        "endpoint": "/v1/chat/completions",
        "model": "gpt-4o-mini",
        "errors": None,
        "input_file_id": "file-hostile000000000000",
        "completion_window": "24h",
        "status": status,
        "output_file_id": None,
        "error_file_id": None,
        "created_at": int(created_at),
        "in_progress_at": int(created_at) + 30,
        "expires_at": int(created_at) + 86400,
        "finalizing_at": None,
        "completed_at": None,
        "failed_at": None,
        "expired_at": None,
        "cancelling_at": None,
        "cancelled_at": None,
        "request_counts": {"total": 1000, "completed": 420, "failed": 3},
        "usage": None,
        "metadata": None,
    }


def _markup_batch(created_at: float) -> dict:
    batch = _base("batch_hostile_markup_and_escapes", created_at, "in_progress")
    batch["metadata"] = {
        "project": MARKUP,
        "owner": LINK,
        "ansi": ANSI_RED,
        "osc52": CLIPBOARD_WRITE,
        "control": CONTROL,
        "nul": NUL,
        "long": LONG,
        "cjk": CJK_EMOJI,
        MARKUP: "markup in a key",
        "\x1b[2J": "a key that clears the screen",
        "run": "[/]",  # a lone closing tag: Rich raises MarkupError on it
    }
    batch["model"] = f"gpt-4o-mini{ANSI_RED}"
    return batch


def _unknown_status_batch(created_at: float) -> dict:
    batch = _base("batch_hostile_unknown_status", created_at, "paused_for_review")
    batch["metadata"] = {"project": "support-triage", "owner": "dana"}
    # Fields a newer API might add.
    batch["priority"] = "high"
    batch["region"] = {"name": "eu-west", "zones": [1, 2, 3]}
    batch["review"] = ["queued", None, 3.5]
    return batch


def _azure_batch(created_at: float, status: str) -> dict:
    """Azure OpenAI's sample shape: ISO-8601 strings, capitalised statuses, null counts."""
    batch = _base(f"batch_azure_{status.lower()}", created_at, status)
    iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(created_at))
    batch.update(
        created_at=iso,
        in_progress_at=iso if status == "InProgress" else None,
        expires_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(created_at + 86400)),
        request_counts={"total": None, "completed": None, "failed": None},
        model="gpt-4o-batch",
        metadata={"deployment": "gpt-4o-batch"},
    )
    return batch


def _bare_batch(created_at: float) -> dict:
    """Only the fields the spec requires."""
    return {
        "id": "batch_hostile_bare",
        "object": "batch",
        "endpoint": "/v1/embeddings",
        "input_file_id": "file-hostile000000000001",
        "completion_window": "24h",
        "status": "completed",
        "created_at": int(created_at),
    }


def _absurd_batch(created_at: float) -> dict:
    batch = _base("batch_hostile_absurd_numbers", created_at, "completed")
    batch.update(
        in_progress_at=-1,
        finalizing_at=-86400,
        completed_at=0,
        expires_at=2**63,
        request_counts={"total": 0, "completed": 5000, "failed": -7},
        usage={
            "input_tokens": -1,
            "input_tokens_details": {"cached_tokens": 10**18},
            "output_tokens": 2**53 + 1,
            "output_tokens_details": {"reasoning_tokens": None},
            "total_tokens": "many",
        },
        completion_window="999999d",
    )
    return batch


def _failed_with_markup_errors(created_at: float) -> dict:
    batch = _base("batch_hostile_[blink]markup_id", created_at, "failed")
    batch.update(
        in_progress_at=None,
        failed_at=int(created_at) + 12,
        request_counts={"total": 0, "completed": 0, "failed": 0},
        errors={
            "object": "list",
            "data": [
                {"code": "invalid_request", "message": f"Line has {MARKUP} and {ANSI_RED}", "param": LINK, "line": 3},
                {"code": None, "message": CLIPBOARD_WRITE + CONTROL, "param": None, "line": -1},
                {"code": "token_limit_exceeded", "message": LONG, "param": None, "line": None},
            ],
        },
        metadata={"title": "[red]fake status: completed[/red]"},
    )
    return batch
