"""The batch list's keys: each binding with its id (a user keymap moves it), and the hidden fallbacks that
answer a dimmed key by saying why. Textual reads BINDINGS from the screen class, which takes them from here."""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import App
from textual.binding import Binding, BindingType

from batchtui.ui.keys import bindings_of, key_label
from batchtui.ui.widgets.batch_table import BatchTable

BINDING_GROUP_TITLE = "Batch list"

BINDINGS: list[BindingType] = [
    Binding("n", "next_page", "Next", id="next_page", tooltip="Next page of older batches"),
    Binding("p", "previous_page", "Prev", id="previous_page", tooltip="Previous page"),
    Binding("r", "refresh_now", "Refresh", id="refresh_now", tooltip="Refresh the page now"),
    Binding("space", "toggle_pause", "Pause", id="toggle_pause", tooltip="Pause or resume automatic refresh"),
    # With marks, `c` cancels every marked batch instead (one question for all).
    Binding("c", "cancel_batch", "Cancel", id="cancel_batch", tooltip="Cancel the selected batch (asks first)"),
    Binding(
        "m",
        "toggle_mark",
        "Mark",
        id="toggle_mark",
        tooltip="Mark or unmark the selected batch (cancel and save outputs then act on every marked one)",
    ),
    Binding("u", "clear_marks", "Unmark", id="clear_marks", tooltip="Clear every mark"),
    Binding(
        "d",
        "download_marked",
        "Save outputs",
        id="download_marked",
        tooltip="Save the marked batches' output files into a folder",
    ),
    Binding(
        "slash",
        "search",
        "Search",
        key_display="/",
        id="search",
        tooltip="Search every indexed batch (Escape clears)",
    ),
    Binding("a", "active_only", "Active", id="active_only", tooltip="Show only active batches (again: all)"),
    Binding(
        "s",
        "cycle_sort",
        "Sort",
        id="cycle_sort",
        tooltip="Sort the search results: created, status, progress, model",
    ),
    Binding("y", "copy_id", "Copy id", id="copy_id", show=False, tooltip="Copy the selected batch id to the clipboard"),
    Binding("E", "show_error", "Error details", id="show_error", tooltip="Show the last error in full"),
    Binding(
        "N",
        "create_batch",
        "New",
        id="create_batch",
        tooltip="Create a batch from a .jsonl file (checked before upload)",
    ),
    Binding(
        "o",
        "open_results",
        "Output",
        id="open_results",
        tooltip="The selected batch's output file (dimmed when it has none)",
    ),
    Binding(
        "e",
        "open_errors",
        "Errors",
        id="open_errors",
        tooltip="The selected batch's error file (dimmed when it has none)",
    ),
    Binding(
        "R",
        "retry_batch",
        "Retry",
        id="retry_batch",
        tooltip="Build a retry file of what did not succeed (expired, cancelled, failed)",
    ),
    Binding(
        "w",
        "open_web",
        "Web",
        id="open_web",
        show=False,
        tooltip="Open the selected batch in the OpenAI web dashboard (api.openai.com only)",
    ),
    # Reached only when the binding above is dimmed: say why instead of doing nothing.
    Binding("o", "explain_unavailable('output')", show=False, id="explain_no_output"),
    Binding("e", "explain_unavailable('error')", show=False, id="explain_no_errors"),
    Binding("R", "explain_unavailable('retry')", show=False, id="explain_no_retry"),
    Binding("c", "explain_unavailable('cancel')", show=False, id="explain_no_cancel"),
    Binding("N", "explain_unavailable('create')", show=False, id="explain_no_create"),
    Binding("d", "explain_unavailable('download')", show=False, id="explain_no_download"),
    Binding("w", "explain_unavailable('web')", show=False, id="explain_no_web"),
    Binding("escape", "focus_table", "Back", id="focus_table", tooltip="Back to the batch list", show=False),
]

# A dimmed key still answers, through the fallback bound to the same key: it says why.
FALLBACKS: dict[str, str] = {
    "explain_no_output": "open_results",
    "explain_no_errors": "open_errors",
    "explain_no_retry": "retry_batch",
    "explain_no_cancel": "cancel_batch",
    "explain_no_create": "create_batch",
    "explain_no_download": "download_marked",
    "explain_no_web": "open_web",
}


def table_keys(app: App[object], keymap: Mapping[str, str]) -> list[tuple[str, str]]:
    """The batch table's own keys and Escape, for the help screen's batch-list section."""
    down, up, first, last = (key_label(app, binding, keymap) for binding in bindings_of(BatchTable.BINDINGS))
    back = next(binding for binding in bindings_of(BINDINGS) if binding.id == "focus_table")
    return [
        (f"↑ ↓  {down} {up}", "Move between batches"),
        (f"{first}  {last}", "First / last row of the page"),
        ("Enter", "Read the selected batch in the detail pane (↑ ↓ scroll it)"),
        (key_label(app, back, keymap), "Back to the batch list"),
    ]


# Kept out of the footer, which has room for a dozen keys at 140 columns (a profile key and the palette's
# hint included), but listed in help and the palette like the rest.
HELP_ONLY = frozenset({"copy_id", "open_web"})
