"""The search bar's language, parsed into a plain Query. The parser never raises.

    apollo                 free words match id, model, endpoint, status, metadata keys and values, by prefix
    "nightly run"          a quoted phrase
    status:failed          status:failed,expired (any of them); a prefix works too (status:cancel)
    is:active  is:done     still moving, or ended
    model:gpt-4.1          model by prefix (model:gpt-4.1,gpt-4o)
    endpoint:embeddings    chat, responses, embeddings, completions, moderations, images, videos, or a path
    project=apollo         a metadata pair: key exactly, value by prefix (case ignored); project= has the key
    created:<7d            younger than 7 days (units m, h, d, w); created:>2w older than two weeks
    created:>2026-11-01    after that day (UTC); also >=, <, <=, and created:2026-11-01 for the day itself
    -word  -status:failed  a minus negates any word or filter

A token the parser cannot read becomes a one-line problem in Query.problems; the rest still parses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from batchtui.api.endpoints import ENDPOINT_NAMES as SHORT_ENDPOINT_NAMES
from batchtui.store import statuses
from batchtui.store.fields import normalise_status

Comparison = Literal["<", "<=", ">", ">=", "="]

# More terms than anyone types; the cap keeps the generated SQL well inside SQLite's limits.
MAX_TERMS = 32
# A century: longer ages would not fit an SQLite integer once subtracted from now.
_MAX_AGE = 100 * 366 * 86_400

# Every name the batch table shows (batchtui/api/endpoints.py, kept equal by a test) works here too.
# A short name as the table shows it finds its endpoint; "images" finds both image endpoints.
ENDPOINT_NAMES: dict[str, tuple[str, ...]] = {short: (path,) for path, short in SHORT_ENDPOINT_NAMES.items()}
ENDPOINT_NAMES["images"] = ("/v1/images/generations", "/v1/images/edits")
_UNITS = {"m": 60, "h": 3_600, "d": 86_400, "w": 7 * 86_400}
_AGE = re.compile(r"(\d{1,12})\s*([mhdw])")
_FILTERS = ("status", "is", "model", "endpoint", "created")
# Two-character comparisons first, so "<=" is not read as "<" followed by "=".
_COMPARISONS: tuple[Comparison, ...] = ("<=", ">=", "<", ">", "=")


@dataclass(frozen=True, slots=True)
class Words:
    """Free text: every word must match some searched field by prefix (a quoted phrase stays one)."""

    text: str
    negated: bool = False


@dataclass(frozen=True, slots=True)
class StatusIn:
    statuses: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Activity:
    """is:active (active=True) or is:done (active=False); a minus flips it."""

    active: bool


@dataclass(frozen=True, slots=True)
class ModelPrefix:
    prefixes: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class EndpointIn:
    endpoints: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class MetadataPair:
    key: str
    value_prefix: str
    negated: bool = False


@dataclass(frozen=True, slots=True)
class CreatedAge:
    """created:<7d: compared with how long ago the batch was created."""

    comparison: Comparison
    seconds: int
    negated: bool = False


@dataclass(frozen=True, slots=True)
class CreatedAt:
    """created:>2026-11-01: compared with a moment that lasts `span` seconds (a whole day for a date)."""

    comparison: Comparison
    start: int
    span: int
    negated: bool = False


Term = Words | StatusIn | Activity | ModelPrefix | EndpointIn | MetadataPair | CreatedAge | CreatedAt


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    terms: tuple[Term, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """False when some token could not be read: then say so instead of showing 'no batches'."""
        return not self.problems

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.problems


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    # For each character, whether it stood inside double quotes.
    quoted: tuple[bool, ...]


def parse_query(text: str) -> Query:
    """The Query for what the user typed; unreadable tokens become problems, never exceptions."""
    cleaned = _printable(text)
    terms: list[Term] = []
    problems: list[str] = []
    for token in _tokens(cleaned):
        parsed = _term(token)
        if isinstance(parsed, str):
            problems.append(parsed)
        elif parsed is not None:
            terms.append(parsed)
    if len(terms) > MAX_TERMS:
        problems.append(f"too many words and filters: {len(terms)} (at most {MAX_TERMS})")
        terms = terms[:MAX_TERMS]
    return Query(text=text, terms=tuple(terms), problems=tuple(problems))


def toggle_active(text: str) -> str:
    """The query text with is:active added, or removed when it is there (the `a` key)."""
    words = text.split()
    if "is:active" in words:
        return " ".join(word for word in words if word != "is:active")
    return " ".join([*words, "is:active"])


def _printable(text: str) -> str:
    # Control characters and lone surrogates can only come from a paste; they are no search text.
    return "".join(" " if unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") else char for char in text)


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    chars: list[str] = []
    quoted: list[bool] = []
    in_quotes = False
    for char in text:
        if char == '"':
            in_quotes = not in_quotes
        elif char.isspace() and not in_quotes:
            if chars:
                tokens.append(_Token("".join(chars), tuple(quoted)))
            chars, quoted = [], []
        else:
            chars.append(char)
            quoted.append(in_quotes)
    # An unclosed quote runs to the end: the user is still typing it.
    if chars:
        tokens.append(_Token("".join(chars), tuple(quoted)))
    return tokens


def _term(token: _Token) -> Term | str | None:
    negated = False
    text, quoted = token.text, token.quoted
    if text.startswith("-") and not quoted[0]:
        if len(text) == 1:
            return "a '-' must stand right before a word or filter, as in -status:failed"
        negated, text, quoted = True, text[1:], quoted[1:]
    split = next((i for i, char in enumerate(text) if char in ":=" and not quoted[i]), None)
    if split is None or (split == 0 and text[0] == ":"):
        return Words(text, negated) if _has_words(text) else None
    name, value = text[:split], text[split + 1 :]
    if text[split] == "=":
        return (
            MetadataPair(name, value, negated)
            if name
            else "a metadata pair needs a key before '=', as in project=apollo"
        )
    if any(quoted[:split]):
        return Words(text, negated)
    return _filter(name.lower(), value, negated)


def _has_words(text: str) -> bool:
    # Only letters and digits are searchable; a token of punctuation alone would match nothing at all.
    return any(char.isalnum() for char in text)


def _filter(name: str, value: str, negated: bool) -> Term | str:
    if name not in _FILTERS:
        return (
            f"unknown filter '{name}:' (expected status:, is:, model:, endpoint: or created:; "
            'put text with a colon in "quotes")'
        )
    if not value.strip(", "):
        examples = {
            "status": "status:failed",
            "is": "is:active",
            "model": "model:gpt-4.1",
            "endpoint": "endpoint:embeddings",
            "created": "created:<7d",
        }
        return f"{name}: needs a value, as in {examples[name]}"
    if name == "status":
        return _status(value, negated)
    if name == "is":
        return _activity(value, negated)
    if name == "model":
        return ModelPrefix(_items(value), negated)
    if name == "endpoint":
        return _endpoint(value, negated)
    return _created(value, negated)


def _items(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


def _status(value: str, negated: bool) -> StatusIn | str:
    found: list[str] = []
    for item in _items(value):
        wanted = normalise_status(item)
        matches = [status for status in statuses.KNOWN if status.startswith(wanted)]
        if not matches:
            return f"unknown status '{item}' (expected {', '.join(statuses.KNOWN)})"
        found += [status for status in matches if status not in found]
    return StatusIn(tuple(found), negated)


def _activity(value: str, negated: bool) -> Activity | str:
    word = value.strip().lower()
    if word not in ("active", "done"):
        return f"is:{value} is not something a batch can be (expected is:active or is:done)"
    return Activity(active=(word == "active") != negated)


def _endpoint(value: str, negated: bool) -> EndpointIn | str:
    found: list[str] = []
    for item in _items(value):
        paths = _endpoint_paths(item)
        if not paths:
            names = ", ".join(ENDPOINT_NAMES)
            return f"unknown endpoint '{item}' (expected {names}, or a path like /v1/embeddings)"
        found += [path for path in paths if path not in found]
    return EndpointIn(tuple(found), negated)


def _endpoint_paths(item: str) -> tuple[str, ...]:
    lowered = item.lower()
    if lowered in ENDPOINT_NAMES:
        return ENDPOINT_NAMES[lowered]
    if lowered.startswith("/"):
        return (item,)
    # chat/completions and images/edits: the path without its /v1/.
    return tuple(path for paths in ENDPOINT_NAMES.values() for path in paths if path == f"/v1/{lowered}")


def _created(value: str, negated: bool) -> CreatedAge | CreatedAt | str:
    comparison, rest = _comparison(value.strip())
    age = _AGE.fullmatch(rest.lower())
    if age:
        seconds = min(int(age.group(1)) * _UNITS[age.group(2)], _MAX_AGE)
        # created:7d alone means within the last 7 days.
        return CreatedAge("<=" if comparison == "=" else comparison, seconds, negated)
    moment = _moment(rest)
    if moment is None:
        return (
            f"created:{value} is neither an age nor a date "
            "(expected created:<7d, created:>12h (units m, h, d, w) or created:>2026-11-01)"
        )
    start, span = moment
    return CreatedAt(comparison, start, span, negated)


def _comparison(value: str) -> tuple[Comparison, str]:
    for prefix in _COMPARISONS:
        if value.startswith(prefix):
            return prefix, value[len(prefix) :].strip()
    return "=", value


def _moment(text: str) -> tuple[int, int] | None:
    """Start and length in seconds of a date (a whole UTC day) or a date and time (one second)."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
            return int(day.timestamp()), 86_400
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?", text):
            return None
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp()), 1
