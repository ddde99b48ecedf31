"""Bodies of the requests in an input file and of their responses, per endpoint, as the real API shapes them."""

from __future__ import annotations

import random

from batchtui.sim.ids import alphanumeric_id, hex_id
from batchtui.sim.lifecycle import TokensPerRequest

_TOPICS = (
    "a refund for a double charge",
    "the export button doing nothing on Safari",
    "a password reset email that never arrives",
    "invoices showing the wrong VAT number",
    "the mobile app logging out every hour",
    "a shipment stuck in customs",
    "two accounts that should be merged",
    "the API returning 502 during the nightly sync",
)
_ANSWERS = (
    "Category: billing. Priority: high. The customer was charged twice; refund the duplicate.",
    "Category: bug. Priority: medium. Reproducible on Safari 17; route to the web team.",
    "Category: account. Priority: low. Ask the customer to check the spam folder, then resend.",
    "Category: shipping. Priority: medium. Customs hold; share the tracking link and the form.",
    "The transcript covers a pricing question; the caller agreed to a follow-up demo on Tuesday.",
    "Summary: the contract renewal is blocked on legal review of clause 7.2.",
)
# A handful of dimensions: real vectors have 1536+, which would make multi-megabyte lines.
_EMBEDDING_DIMENSIONS = 16
# Components drawn from a fixed pool: rounding fresh floats dominated the time to write big files.
_EMBEDDING_COMPONENTS = [round(random.Random(component).uniform(-0.08, 0.08), 6) for component in range(256)]
_MODERATION_CATEGORIES = ("harassment", "hate", "self-harm", "sexual", "violence", "illicit")


def request_body(endpoint: str, model: str | None, index: int, rng: random.Random) -> dict:
    text = f"Ticket #{40_000 + index}: the customer writes about {rng.choice(_TOPICS)}."
    if endpoint == "/v1/chat/completions":
        return {
            "model": model,
            "messages": [
                {"role": "system", "content": "Classify the support ticket and suggest a next step."},
                {"role": "user", "content": text},
            ],
            "max_tokens": 400,
        }
    if endpoint == "/v1/responses":
        return {"model": model, "input": text, "max_output_tokens": 1200}
    if endpoint == "/v1/completions":
        return {"model": model, "prompt": text + "\nCategory:", "max_tokens": 64}
    return {"model": model, "input": text}


def success_body(endpoint: str, model: str | None, created: int, tokens: TokensPerRequest, rng: random.Random) -> dict:
    if endpoint == "/v1/chat/completions":
        return _chat_completion(model, created, tokens, rng)
    if endpoint == "/v1/responses":
        return _response(model, created, tokens, rng)
    if endpoint == "/v1/embeddings":
        return _embedding(model, tokens, rng)
    if endpoint == "/v1/completions":
        return _completion(model, created, tokens, rng)
    if endpoint == "/v1/moderations":
        return _moderation(model, rng)
    return {"id": alphanumeric_id(rng, "obj_"), "object": "unknown", "created": created}


def failure(rng: random.Random) -> tuple[int, dict]:
    """A status code >= 400 and its error body, as one request of a batch can fail."""
    status, message, param, code = rng.choice(
        (
            (
                400,
                "This model's maximum context length is 128000 tokens. However, your messages "
                "resulted in 131417 tokens. Please reduce the length of the messages.",
                "messages",
                "context_length_exceeded",
            ),
            (
                400,
                "Invalid 'max_tokens': integer above maximum value. Expected a value <= 16384, but got 32768 instead.",
                "max_tokens",
                "integer_above_max_value",
            ),
            (
                500,
                "The server had an error while processing your request. Sorry about that!",
                None,
                None,
            ),
        )
    )
    error_type = "server_error" if status >= 500 else "invalid_request_error"
    return status, {"error": {"message": message, "type": error_type, "param": param, "code": code}}


def _chat_completion(model: str | None, created: int, tokens: TokensPerRequest, rng: random.Random) -> dict:
    return {
        "id": alphanumeric_id(rng, "chatcmpl-", 29),
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": rng.choice(_ANSWERS),
                    "refusal": None,
                    "annotations": [],
                },
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": tokens.input,
            "completion_tokens": tokens.output,
            "total_tokens": tokens.input + tokens.output,
            "prompt_tokens_details": {"cached_tokens": tokens.cached, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": tokens.reasoning,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        },
        "service_tier": "default",
        "system_fingerprint": f"fp_{rng.getrandbits(40):010x}",
    }


def _response(model: str | None, created: int, tokens: TokensPerRequest, rng: random.Random) -> dict:
    output: list[dict] = []
    if tokens.reasoning:
        output.append({"type": "reasoning", "id": hex_id(rng, "rs_", 48), "summary": []})
    output.append(
        {
            "type": "message",
            "id": hex_id(rng, "msg_", 48),
            "status": "completed",
            "role": "assistant",
            "content": [{"type": "output_text", "text": rng.choice(_ANSWERS), "annotations": []}],
        }
    )
    return {
        "id": hex_id(rng, "resp_", 48),
        "object": "response",
        "created_at": created,
        "status": "completed",
        "model": model,
        "output": output,
        "usage": {
            "input_tokens": tokens.input,
            "input_tokens_details": {"cached_tokens": tokens.cached},
            "output_tokens": tokens.output,
            "output_tokens_details": {"reasoning_tokens": tokens.reasoning},
            "total_tokens": tokens.input + tokens.output,
        },
    }


def _embedding(model: str | None, tokens: TokensPerRequest, rng: random.Random) -> dict:
    vector = rng.choices(_EMBEDDING_COMPONENTS, k=_EMBEDDING_DIMENSIONS)
    return {
        "object": "list",
        "data": [{"object": "embedding", "index": 0, "embedding": vector}],
        "model": model,
        "usage": {"prompt_tokens": tokens.input, "total_tokens": tokens.input},
    }


def _completion(model: str | None, created: int, tokens: TokensPerRequest, rng: random.Random) -> dict:
    return {
        "id": alphanumeric_id(rng, "cmpl-", 29),
        "object": "text_completion",
        "created": created,
        "model": model,
        "choices": [
            {
                "text": " " + rng.choice(("billing", "bug", "account", "shipping")),
                "index": 0,
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": tokens.input,
            "completion_tokens": tokens.output,
            "total_tokens": tokens.input + tokens.output,
        },
    }


def _moderation(model: str | None, rng: random.Random) -> dict:
    scores = {category: round(rng.random() ** 6, 6) for category in _MODERATION_CATEGORIES}
    return {
        "id": hex_id(rng, "modr-", 32),
        "model": model,
        "results": [
            {
                "flagged": any(score > 0.5 for score in scores.values()),
                "categories": {category: score > 0.5 for category, score in scores.items()},
                "category_scores": scores,
            }
        ],
    }
