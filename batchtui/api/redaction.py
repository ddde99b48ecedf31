"""The API key taken out of any text a server sent, before an error or a log line carries it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

REDACTED = "«redacted key»"


@dataclass(frozen=True)
class Redactor:
    key: str | None = field(repr=False)

    def __call__(self, text: str) -> str:
        if self.key and len(self.key) >= 4:
            # Case-insensitive: URLs and headers pass through code that lowercases them.
            return re.sub(re.escape(self.key), REDACTED, text, flags=re.IGNORECASE)
        return text

    def optional(self, text: str | None) -> str | None:
        return None if text is None else self(text)
