from __future__ import annotations

from typing import Any

import pytest

from batchtui.jsonl.result_summary import one_line, summarize_body


def chat(message: dict[str, Any]) -> dict[str, Any]:
    return {"object": "chat.completion", "choices": [{"message": message}]}


@pytest.mark.parametrize(
    ("body", "summary"),
    [
        (chat({"content": None, "refusal": "I can't"}), "refusal: I can't"),
        (chat({"content": [{"type": "text", "text": "a"}, {"text": "b"}]}), "a b"),
        ({"object": "chat.completion", "choices": []}, "no message"),
        (chat({"content": ""}), "empty message"),
        ({"object": "response", "output_text": "direct"}, "direct"),
        ({"object": "response", "output": [{"type": "function_call", "name": "lookup"}]}, "tool calls: lookup"),
        (
            {"object": "response", "status": "incomplete", "incomplete_details": {"reason": "max_output_tokens"}},
            "incomplete: max_output_tokens",
        ),
        ({"object": "response", "output": "not a list"}, "no text output"),
        ({"object": "list", "data": [{"object": "embedding", "embedding": "AAAA"}]}, "1 embedding (base64)"),
        ({"object": "list", "data": []}, "list (no summary for this kind of body)"),
        ({"results": [{"flagged": False}, {"flagged": False}]}, "not flagged (2 inputs)"),
        (
            {"results": [{"flagged": True, "categories": {"hate": True, "spam": False}}, {"flagged": False}]},
            "flagged (1 of 2 inputs): hate",
        ),
        ({"created": 1, "data": [{"url": "https://x", "revised_prompt": "a red fox"}]}, "1 image: a red fox"),
        ({"object": "video", "id": "video_1", "status": "completed"}, "video completed video_1"),
        (None, "empty body"),
        ("plain\ntext", "plain text"),
        ({}, "response (no summary for this kind of body)"),
    ],
)
def test_summarize_body(body: Any, summary: str):
    assert summarize_body(body) == summary


def test_one_line_removes_control_characters_and_clips():
    assert one_line("a\x1b[31m\r\n b\x00c") == "a [31m b c"
    assert one_line("x" * 300, limit=10) == "x" * 9 + "…"
    assert one_line("x" * 10, limit=10) == "x" * 10
    assert one_line("a" + " " * 5 + "b" + "c" * 100, limit=10) == "a b" + "c" * 6 + "…"
