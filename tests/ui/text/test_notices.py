"""What the main screen says in place of the table."""

from __future__ import annotations

from batchtui.api.errors import APIConnectionError, AuthenticationError, ErrorBody, NotFoundError
from batchtui.ui.text.notices import empty_text, failure_text, key_rejected_text, missing_version_hint

KEYS = {"previous_page": "p", "refresh_now": "r", "show_error": "E"}


def test_an_empty_account_and_an_empty_later_page_read_differently() -> None:
    assert empty_text(1, KEYS).plain.startswith("No batches yet.")
    assert empty_text(3, KEYS).plain == "This page is empty now. Press p to go back."


def test_a_rejected_key_names_the_server_the_variable_and_quotes_the_server_literally() -> None:
    error = AuthenticationError(401, ErrorBody(message="Incorrect API key [bold]x[/bold]\x1b[2J"))
    text = key_rejected_text(error, "api.openai.com/v1", "AZURE_OPENAI_API_KEY", KEYS).plain
    assert "api.openai.com/v1 refused the key (HTTP 401)." in text
    assert "Incorrect API key [bold]x[/bold]" in text  # markup stays literal
    assert "\x1b" not in text
    assert "Check AZURE_OPENAI_API_KEY" in text


def test_a_failed_load_says_what_failed_and_when_it_retries() -> None:
    text = failure_text(APIConnectionError("Could not reach http://h: reset"), 30, KEYS).plain
    assert text.startswith("Could not load batches\n\nCould not reach http://h: reset")
    assert "Retrying every 30s; r retries now, E shows details." in text


def test_the_notices_name_the_keys_actually_bound() -> None:
    keys = {"previous_page": "b", "refresh_now": "f5", "show_error": "X"}
    assert empty_text(2, keys).plain == "This page is empty now. Press b to go back."
    assert "f5 retries now, X shows details." in failure_text(APIConnectionError("down"), 5, keys).plain


def not_found(path: str) -> NotFoundError:
    return NotFoundError(404, ErrorBody(message="Not Found"), method="GET", path=path)


def test_a_404_on_the_list_path_without_a_version_suggests_v1() -> None:
    text = failure_text(not_found("/batches"), 5, KEYS, base_path="").plain
    assert "no batch list at its root/batches" in text
    assert "try a base URL ending in /v1." in text
    text = failure_text(not_found("/api/batches"), 5, KEYS, base_path="/api/").plain
    assert "no batch list at /api/batches" in text and "ending in /api/v1." in text


def test_no_version_hint_where_a_version_is_there_or_the_404_is_elsewhere() -> None:
    assert missing_version_hint(not_found("/v1/batches"), "/v1") is None
    assert missing_version_hint(not_found("/openai/v1/batches"), "/openai/v1/") is None
    assert missing_version_hint(not_found("/files/x/content"), "") is None
    assert missing_version_hint(APIConnectionError("down"), "") is None
    assert "ending in /v1" not in failure_text(not_found("/openai/batches"), 5, KEYS, base_path=None).plain
