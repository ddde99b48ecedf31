"""The endpoints POST /batches accepts, and the short names people call them by.

Plain data, standard library only, so jsonl can check input files without loading the HTTP client.
"""

from __future__ import annotations

from collections.abc import Mapping

BATCH_ENDPOINTS: tuple[str, ...] = (
    "/v1/responses",
    "/v1/chat/completions",
    "/v1/embeddings",
    "/v1/completions",
    "/v1/moderations",
    "/v1/images/generations",
    "/v1/images/edits",
    "/v1/videos",
)
EMBEDDINGS_ENDPOINT = "/v1/embeddings"

# What people call each endpoint; anything else is shown as sent.
ENDPOINT_NAMES: Mapping[str, str] = {
    "/v1/chat/completions": "chat",
    "/v1/responses": "responses",
    "/v1/embeddings": "embeddings",
    "/v1/completions": "completions",
    "/v1/moderations": "moderations",
    "/v1/images/generations": "images",
    "/v1/images/edits": "image edits",
    "/v1/videos": "videos",
}
