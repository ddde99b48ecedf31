"""What the main screen says in place of the table: no batches, a rejected key, a failed load."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text

from batchtui.api.errors import APIStatusError, BatchAPIError, describe
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


def failure_text(error: BatchAPIError, refresh_seconds: float, keys: Mapping[str, str]) -> Text:
    text = Text("Could not load batches\n\n", style="bold")
    text.append(clean(describe(error)))
    text.append(
        f"\n\nRetrying every {relative(refresh_seconds)}; {keys['refresh_now']} retries now, "
        f"{keys['show_error']} shows details."
    )
    return text
