"""One set of words for a batch file that could not be had, whichever screen wanted it."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from batchtui.api.errors import APIConnectionError, APIStatusError, ErrorBody
from batchtui.ui.text.download_failure import download_failure

CACHE = Path("/cache/file-out.jsonl")


def status(code: int, message: str) -> APIStatusError:
    return APIStatusError(code, ErrorBody(message=message, type="server_error"))


def test_a_404_means_the_file_is_gone():
    failure = download_failure("output", "file-out", status(404, "No such File object: file-out"), CACHE)
    assert failure.gone
    assert (
        failure.sentence()
        == "The output file file-out is gone from the server (HTTP 404: No such File object: file-out)"
    )


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (status(503, "The engine is currently overloaded."), "HTTP 503: The engine is currently overloaded."),
        (status(403, "Forbidden"), "HTTP 403: Forbidden"),
        (
            APIConnectionError("Could not connect to api.example (connection refused)"),
            "Could not connect to api.example",
        ),
    ],
)
def test_other_api_errors_can_be_tried_again(error, reason):
    failure = download_failure("error", "file-err", error, CACHE)
    assert not failure.gone
    assert failure.sentence().startswith(f"Could not download the error file file-err: {reason}")


def test_an_os_error_is_about_writing_the_cache():
    error = OSError(errno.ENOSPC, "No space left on device", "/cache/.file-out.jsonl.x1.part")
    failure = download_failure("input", "file-in", error, CACHE)
    assert not failure.gone
    assert (
        failure.sentence()
        == "Could not write the input file to the cache at /cache/file-out.jsonl: No space left on device"
    )


def test_server_text_is_cleaned():
    failure = download_failure("output", "file-\x1b[2Jout\n", status(404, "gone\x1b]0;pwned\x07"), CACHE)
    assert "\x1b" not in failure.sentence() and "\n" not in failure.sentence()
    assert "file-␛[2Jout␊" in failure.headline and failure.reason == "HTTP 404: gone␛]0;pwned␇"
