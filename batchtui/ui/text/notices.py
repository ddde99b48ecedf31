"""What the main screen says in place of the table: no batches, a rejected key, a failed load."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text

from batchtui.api.errors import APIStatusError, BatchAPIError, NotFoundError, describe
from batchtui.ui.formatting import clean, relative

LOADING = Text("Loading batches…", style="dim")


def empty_text(page_number: int, keys: Mapping[str, str]) -> Text:
    """`keys` maps binding ids to the keys bound now, as `key_names` gives them."""
    if page_number > 1:
        return Text(f"This page is empty now. Press {keys['previous_page']} to go back.", style="dim")
    text = Text("No batches yet.\n\n", style="bold")
    text.append(
        "This account has no batch jobs. Batches you create with the API, the SDK or the "
        "dashboard show up here on the next refresh.",
    )
    return text


def key_rejected_text(error: APIStatusError, server_label: str, key_hint: str, keys: Mapping[str, str]) -> Text:
    text = Text("API key rejected\n\n", style="bold")
    text.append(f"{clean(server_label)} refused the key (HTTP {error.status_code}).\n")
    text.append("The server said: ")
    text.append(clean(error.message), style="italic")
    text.append(
        f"\n\nCheck {key_hint} (and the base URL), then restart batchtui. Press {keys['refresh_now']} to try again."
    )
    return text


def failure_text(
    error: BatchAPIError, refresh_seconds: float, keys: Mapping[str, str], base_path: str | None = None
) -> Text:
    """`base_path`: the configured base URL's path, for the hint a bare 404 needs (None: no hint applies)."""
    text = Text("Could not load batches\n\n", style="bold")
    text.append(clean(describe(error)))
    hint = None if base_path is None else missing_version_hint(error, base_path)
    if hint:
        text.append(f"\n\n{hint}")
    text.append(
        f"\n\nRetrying every {relative(refresh_seconds)}; {keys['refresh_now']} retries now, "
        f"{keys['show_error']} shows details."
    )
    return text


def missing_version_hint(error: BatchAPIError, base_path: str) -> str | None:
    """A 404 on the list path from a base URL without a version segment: the usual cause is a missing /v1."""
    if not isinstance(error, NotFoundError) or not error.path.rstrip("/").endswith("/batches"):
        return None
    segments = [segment for segment in base_path.split("/") if segment]
    if any(segment.lower().startswith("v") and segment[1:].isdigit() for segment in segments):
        return None
    shown = "/".join(segments)
    return (
        f"The server has no batch list at {'/' + shown if shown else 'its root'}/batches. OpenAI-compatible "
        f"servers serve it under /v1: try a base URL ending in {'/' + shown if shown else ''}/v1."
    )


def no_match_text(query: str, problems: tuple[str, ...]) -> Text:
    """In place of the table when a search finds nothing: never confused with an empty account."""
    if problems:
        text = Text("The search could not be read\n\n", style="bold")
        text.append("\n".join(clean(problem) for problem in problems))
        return text
    text = Text("No batch matches ", style="bold")
    text.append(clean(query) or "the search", style="bold italic")
    text.append("\n\nEscape goes back to the live list.")
    return text
