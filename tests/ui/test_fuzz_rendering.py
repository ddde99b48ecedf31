"""Fuzzing: whatever a server sends as a batch, reading and drawing it never raises.

Batch JSON, valid and almost valid (extra keys, wrong types, nulls, absurd numbers,
hostile strings, unknown statuses), goes through the model, the table's row cells
and the detail pane's columns, rendered to text by a plain Rich console: no app needed.
"""

from __future__ import annotations

import io
import re
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from rich.cells import cell_len
from rich.console import Console
from rich.style import Style

from batchtui.api.models import Batch, RequestCounts
from batchtui.api.statuses import KNOWN
from batchtui.ui.field_layout import layout_lines
from batchtui.ui.formatting import age, compact, local_time, percent, progress_cell, relative
from batchtui.ui.widgets.batch_detail import main_column, side_column
from batchtui.ui.widgets.batch_table import COLUMNS, PROGRESS, StatusStyles, row_cells
from tests.support.batches import REQUIRED_FIELDS, batch_json

# What theme_styles gives the table and the pane: a style per known status and one for the progress bar.
STYLES: StatusStyles = {**{status: Style(bold=True) for status in KNOWN}, PROGRESS: Style(underline=True)}
# What may end a line or reorder one: server text shows these as symbols only.
LINE_BREAKING = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
NOW = 1_764_000_000.0
# The fields the API always sends (docs/batch-api.md); only a broken one of these may make a batch unreadable.
REQUIRED = REQUIRED_FIELDS
TIMESTAMPS = (
    "in_progress_at",
    "expires_at",
    "finalizing_at",
    "completed_at",
    "failed_at",
    "expired_at",
    "cancelling_at",
    "cancelled_at",
)
ID_ALPHABET = string.ascii_letters + string.digits + "_-"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HOSTILE = [
    "[bold red]x[/]",
    "[link=https://evil.example]click[/link]",
    "[/]",
    "\x1b[31mred\x1b[0m",
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",
    "\x1b[2J",
    "bell\x07 bs\x08 cr\r tab\t nul\x00 del\x7f c1\x9b",
    "\u202eevil\u202c",
    "line\u2028separator\u2029paragraph",
    "日本語のバッチ 🚀🔥 한국어 中文 👩\u200d💻",
    "e\u0301\u0301\u0301",  # combining marks
    "",
    " ",
]
EDGE_NUMBERS = [0, -1, 1, 2**53 + 1, 2**63, -(2**63), 10**30, -(10**30), 10**300, 1e308, -1e308]

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    # A long string: a few characters repeated hundreds or thousands of times.
    st.builds(lambda chunk, times: chunk * times, st.text(min_size=1, max_size=4), st.integers(50, 1500)),
)
numbers = st.one_of(
    st.sampled_from(EDGE_NUMBERS),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["12", "1.5e3", "inf", "nan", "-0", "1e400", "many", ""]),
)
# Counts go through a lenient int: JSON integers past a float's range reach the formatting helpers as they are.
counts = st.one_of(numbers, st.sampled_from([10**400, -(10**400)]))
timestamps = st.one_of(
    numbers,
    st.sampled_from(["2025-11-24T16:00:00Z", "2025-11-24T16:00:00", "2025-13-45T99:99:99Z", "yesterday"]),
)
statuses = st.one_of(
    st.sampled_from(
        ["validating", "failed", "in_progress", "finalizing", "completed", "expired", "cancelling", "cancelled"]
    ),
    st.sampled_from(["InProgress", "Validating", " Completed ", "in-progress", "paused_for_review", ""]),
    hostile_text,
)
request_counts = st.one_of(
    st.none(),
    json_values,
    st.fixed_dictionaries({}, optional={"total": counts, "completed": counts, "failed": counts}),
)
usage = st.one_of(
    st.none(),
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "input_tokens": counts,
            "output_tokens": counts,
            "total_tokens": counts,
            "input_tokens_details": st.one_of(json_values, st.fixed_dictionaries({"cached_tokens": counts})),
            "output_tokens_details": st.one_of(json_values, st.fixed_dictionaries({"reasoning_tokens": counts})),
        },
    ),
)
batch_error = st.fixed_dictionaries(
    {},
    optional={
        "code": st.one_of(hostile_text, json_values),
        "message": st.one_of(hostile_text, json_values),
        "param": st.one_of(hostile_text, json_values),
        "line": numbers,
    },
)
errors = st.one_of(
    st.none(),
    json_values,
    st.fixed_dictionaries(
        {"object": st.just("list"), "data": st.lists(st.one_of(batch_error, json_values), max_size=4)}
    ),
)
metadata = st.one_of(
    st.none(),
    json_values,
    st.dictionaries(hostile_text, st.one_of(hostile_text, json_values), max_size=6),
)
optional_fields = {
    "model": st.one_of(hostile_text, json_values),
    "output_file_id": st.one_of(hostile_text, json_values),
    "error_file_id": st.one_of(hostile_text, json_values),
    "request_counts": request_counts,
    "usage": usage,
    "metadata": metadata,
    "errors": errors,
    **{field: st.one_of(timestamps, json_values) for field in TIMESTAMPS},
}
valid_required = {
    "id": st.one_of(st.text(alphabet=ID_ALPHABET, min_size=1, max_size=30), hostile_text),
    "endpoint": st.one_of(st.sampled_from(["/v1/chat/completions", "/v1/responses", "/v1/embeddings"]), hostile_text),
    "input_file_id": hostile_text,
    "completion_window": st.one_of(st.just("24h"), hostile_text),
    "status": statuses,
    "created_at": timestamps,
}


@st.composite
def any_batch_json(draw) -> dict:
    """A batch as a server might send it: every optional field maybe absent, maybe odd, plus unknown keys."""
    batch = batch_json(**{name: draw(strategy) for name, strategy in valid_required.items()})
    for name, strategy in optional_fields.items():
        if draw(st.booleans()):
            batch[name] = draw(strategy)
    extra = draw(st.dictionaries(st.text(max_size=12), json_values, max_size=3))
    for key, value in extra.items():
        batch.setdefault(key, value)
    if draw(st.integers(0, 9)) == 0:
        # Almost valid: a required field missing or of the wrong type.
        broken = draw(st.sampled_from(REQUIRED))
        if draw(st.booleans()):
            del batch[broken]
        else:
            batch[broken] = draw(json_values)
    return batch


def render(*renderables, width: int) -> str:
    console = Console(width=width, file=io.StringIO(), record=True, color_system="truecolor", force_terminal=True)
    for renderable in renderables:
        console.print(renderable)
    return console.export_text(styles=False)


def validate_or_none(payload: dict) -> Batch | None:
    """The model, or None when the server broke a field the API always sends (the client counts those as unreadable)."""
    try:
        return Batch.model_validate(payload)
    except ValidationError as error:
        broken = {str(item["loc"][0]) for item in error.errors() if item.get("loc")}
        assert broken and broken <= set(REQUIRED), error
        return None


@FUZZ
@given(any_batch_json(), st.sampled_from([30, 80, 160]))
def test_any_batch_json_reads_and_renders_without_raising(payload, width):
    batch = validate_or_none(payload)
    if batch is None:
        return
    cells = row_cells(batch, NOW, STYLES, 0)
    columns = [*main_column(batch, STYLES), *side_column(batch, NOW)]
    lines = layout_lines(columns, width, Console())
    text = render(*cells.values(), *lines, width=width)
    # What reaches the terminal carries no control characters from the server, only pictures of them.
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    for line in lines:
        assert LINE_BREAKING.search(line.plain) is None, repr(line.plain)


@FUZZ
@given(any_batch_json())
def test_table_cells_are_single_lines_that_fit_their_column(payload):
    batch = validate_or_none(payload)
    if batch is None:
        return
    widths = {key: width for key, _, width in COLUMNS}
    cells = row_cells(batch, NOW, STYLES, 0)
    for key in ("id", "status", "endpoint", "model"):
        plain = cells[key].plain
        assert LINE_BREAKING.search(plain) is None, (key, plain)
        assert cell_len(plain) <= widths[key], (key, plain)


@FUZZ
@given(
    st.one_of(
        st.sampled_from([*EDGE_NUMBERS, 10**400, -(10**400)]),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
    )
)
def test_number_formatting_takes_any_number(value):
    # Ints beyond a float's range can come from JSON (it has no limit): the helpers must not overflow.
    relative(value)
    local_time(value)
    if isinstance(value, int):
        age(value, NOW)
        compact(value)
        for total, completed in ((value, 1), (1, value), (value, abs(value) + 1)):
            request_counts = RequestCounts(total=total, completed=completed, failed=1)
            percent(request_counts)
            render(progress_cell(request_counts), width=40)
