"""What to tell the user when a batch file could not be had: gone from the server, not downloaded, or not cached.

The results and retry screens both download files into the cache; they say the same thing
about the same failure, and each adds what the failure means for what it was doing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from batchtui.api.errors import APIStatusError, BatchAPIError, describe
from batchtui.ui.formatting import clean


@dataclass(frozen=True)
class DownloadFailure:
    gone: bool
    """The server no longer has the file (HTTP 404): trying again cannot bring it back."""
    headline: str
    reason: str

    def sentence(self) -> str:
        """Headline and reason as one sentence, without the final full stop."""
        return f"{self.headline} ({self.reason})" if self.gone else f"{self.headline}: {self.reason}"


def download_failure(kind: str, file_id: str, error: BatchAPIError | OSError, cache_path: Path) -> DownloadFailure:
    """The words for a failed `ensure_cached` of the `kind` ("input", "output", "error") file; server text is cleaned."""
    file_id = clean(file_id)
    if isinstance(error, APIStatusError) and error.status_code == 404:
        return DownloadFailure(
            True, f"The {kind} file {file_id} is gone from the server", f"HTTP 404: {clean(error.message)}"
        )
    if isinstance(error, BatchAPIError):
        return DownloadFailure(False, f"Could not download the {kind} file {file_id}", clean(describe(error)))
    return DownloadFailure(
        False, f"Could not write the {kind} file to the cache at {clean(cache_path)}", clean(error.strerror or error)
    )
