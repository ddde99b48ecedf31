"""One short line describing a successful response body, whatever endpoint produced it.

Bodies come from the server and may not have the documented shape: every access
checks its type, and anything unrecognised falls back to a generic description.
"""

from __future__ import annotations

import re
from typing import Any

SUMMARY_LENGTH = 200

_WHITESPACE_AND_CONTROLS = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


def one_line(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """Collapse newlines, tabs and control characters to single spaces and cut to `limit`."""
    # Only the start can show; cleaning the whole of every long answer would dominate a scan.
    cut = text[: limit * 4]
    head = " ".join(cut.split())  # str.split() splits on exactly what \s matches, at C speed
    if not head.isprintable():  # a control character is left: the regular expression handles it
        head = _WHITESPACE_AND_CONTROLS.sub(" ", cut).strip()
    if len(head) <= limit and len(text) <= limit * 4:
        return head
    return head[: limit - 1] + "…"


def summarize_body(body: Any) -> str:
    if not isinstance(body, dict):
        return "empty body" if body is None else one_line(str(body))
    kind = body.get("object")
    if kind == "chat.completion":
        return one_line(_chat_completion(body))
    if kind == "response":
        return one_line(_response(body))
    if kind == "text_completion":
        return one_line(_text_completion(body))
    if kind == "video":
        return one_line(f"video {_text(body.get('status')) or 'with no status'} {_text(body.get('id'))}")
    embeddings = [item for item in _items(body.get("data")) if "embedding" in item]
    if embeddings:
        return _embeddings(embeddings)
    if isinstance(body.get("results"), list):
        return _moderation(body["results"])
    # Image responses are the only ones without an `object` field.
    if kind is None and isinstance(body.get("data"), list):
        return _images(body["data"])
    return one_line(f"{_text(kind) or 'response'} (no summary for this kind of body)")


def _chat_completion(body: dict[str, Any]) -> str:
    message = _first_choice(body).get("message")
    if not isinstance(message, dict):
        return "no message"
    text = _content_text(message.get("content"))
    if text:
        return text
    if _text(message.get("refusal")):
        return f"refusal: {message['refusal']}"
    calls = [_text(_mapping(call.get("function")).get("name")) for call in _items(message.get("tool_calls"))]
    if calls:
        return "tool calls: " + ", ".join(name or "?" for name in calls)
    return "empty message"


def _response(body: dict[str, Any]) -> str:
    # `output_text` is an SDK convenience, but some servers put it in the JSON too.
    output_text = _text(body.get("output_text"))
    if output_text:
        return output_text
    texts: list[str] = []
    calls: list[str] = []
    for item in _items(body.get("output")):
        if item.get("type") == "message":
            texts += [_text(part.get("text")) or _text(part.get("refusal")) for part in _items(item.get("content"))]
        elif item.get("type") == "function_call":
            calls.append(_text(item.get("name")) or "?")
    text = " ".join(filter(None, texts))
    if text:
        return text
    if calls:
        return "tool calls: " + ", ".join(calls)
    if body.get("status") == "incomplete":
        reason = _text(_mapping(body.get("incomplete_details")).get("reason"))
        return f"incomplete: {reason or 'no reason given'}"
    return "no text output"


def _text_completion(body: dict[str, Any]) -> str:
    return _text(_first_choice(body).get("text")) or "empty completion"


def _embeddings(items: list[dict[str, Any]]) -> str:
    count = f"{len(items)} embedding{'s' if len(items) != 1 else ''}"
    vector = items[0].get("embedding")
    if isinstance(vector, list):
        return f"{count} × {len(vector):,} dims"
    if isinstance(vector, str):
        return f"{count} (base64)"
    return count


def _moderation(results: list[Any]) -> str:
    results = [result for result in results if isinstance(result, dict)]
    flagged = [result for result in results if result.get("flagged") is True]
    if not flagged:
        return "not flagged" + (f" ({len(results)} inputs)" if len(results) > 1 else "")
    of_total = f" ({len(flagged)} of {len(results)} inputs)" if len(results) > 1 else ""
    categories = sorted(
        {name for result in flagged for name, hit in _mapping(result.get("categories")).items() if hit is True}
    )
    return one_line(f"flagged{of_total}: {', '.join(categories) or 'no category named'}")


def _images(data: list[Any]) -> str:
    count = f"{len(data)} image{'s' if len(data) != 1 else ''}"
    prompts = [_text(item.get("revised_prompt")) for item in data if isinstance(item, dict)]
    prompt = next(filter(None, prompts), "")
    return one_line(f"{count}: {prompt}" if prompt else count)


def _first_choice(body: dict[str, Any]) -> dict[str, Any]:
    choices = _items(body.get("choices"))
    return choices[0] if choices else {}


def _content_text(content: Any) -> str:
    """Message content is a string, or a list of parts on some servers."""
    if isinstance(content, str):
        return content
    return " ".join(filter(None, (_text(part.get("text")) for part in _items(content))))


def _items(value: Any) -> list[dict[str, Any]]:
    """The objects of a JSON array, skipping anything else."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
