"""Each Textual app's CSS parsed once per worker rather than once per app a test starts."""

from __future__ import annotations

from typing import Any

import pytest
from textual.css.stylesheet import Stylesheet

# Textual parses each app's CSS afresh (the app's .tcss and every widget's DEFAULT_CSS), about a sixth of the
# CPU of an app a test starts. The parse depends only on the text, where it was read from and the CSS variables
# (the theme), so one parse per worker serves every app: a theme switch still parses anew, a parse that raises
# is never kept, and an app's widgets already share their rule sets, which nothing mutates.
# tests/framework/test_textual_internals.py checks the method still takes what the key is made of.
PARSED: dict[tuple[object, ...], list[Any]] = {}
TEXTUALS_PARSE = Stylesheet._parse_rules  # taken before any test replaces it
# Each distinct set of variables (a theme), numbered, so a parse's key is hashed without its ~150 pairs: sorting
# and hashing those on every parse was a fortieth of tests/ui's CPU. Textual replaces a stylesheet's variables
# with a new dict (set_variables) and never changes one in place, so the last dict seen names its number; it is
# held here so its id cannot be reused by another.
THEMES: dict[tuple[tuple[str, str], ...], int] = {}
_last_seen: tuple[dict[str, str] | None, int] = (None, 0)


def theme_number(variables: dict[str, str]) -> int:
    global _last_seen
    if variables is not _last_seen[0]:
        _last_seen = (variables, THEMES.setdefault(tuple(sorted(variables.items())), len(THEMES)))
    return _last_seen[1]


def parse_each_css_once(monkeypatch: pytest.MonkeyPatch) -> None:
    def parse_once(
        self: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[Any]:
        key = (css, read_from, is_default_rules, tie_breaker, scope, theme_number(self._variables))
        if key not in PARSED:
            PARSED[key] = TEXTUALS_PARSE(self, css, read_from, is_default_rules, tie_breaker, scope)
        return PARSED[key]

    monkeypatch.setattr(Stylesheet, "_parse_rules", parse_once)
