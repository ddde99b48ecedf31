"""API keys the tests send: recognisable, so a leak shows up in any text, and never a real key."""

from __future__ import annotations

# The key of the in-memory fakes (tests/api, tests/ui): tests search screens and errors for it.
FAKE_KEY = "sk-test-SECRET-4f9a1c"
