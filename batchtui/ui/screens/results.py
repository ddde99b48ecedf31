"""A batch's output or error file: downloaded once to the cache, indexed in a thread, listed lazily.

The screen owns the index and the filter; the table only draws the rows it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import WorkerFailed

from batchtui.api.client import BatchClient
from batchtui.api.errors import BatchAPIError
from batchtui.api.models import Batch
from batchtui.jsonl.atomic import atomic_write_from
from batchtui.jsonl.limits import byte_size
from batchtui.jsonl.result_file import ErrorGroup, ResultIndex, ResultLine, group_errors, scan_result_file
from batchtui.ui.batch_rules import FileKind
from batchtui.ui.dialogs.result_line import ResultLineScreen, pretty_line
from batchtui.ui.dialogs.save_file import SavePrompt
from batchtui.ui.file_cache import cached_file, ensure_cached
from batchtui.ui.formatting import clean
from batchtui.ui.screen_work import ThreadProgress, in_thread, stop_work_on_leave, while_open
from batchtui.ui.text.download_failure import DownloadFailure, download_failure
from batchtui.ui.toasts import tell
from batchtui.ui.widgets.lean_footer import LeanFooter
from batchtui.ui.widgets.result_table import ResultTable
from batchtui.ui.widgets.step_progress import StepProgress


@dataclass(frozen=True)
class Indexed:
    index: ResultIndex
    groups: list[ErrorGroup]
    failed: int
    widest_id: int


def index_result_file(path: Path, progress) -> Indexed:
    index = scan_result_file(path, progress)
    widest = max((cell_len(clean(line.custom_id)) for line in index if line.custom_id), default=0)
    return Indexed(index, group_errors(index), sum(1 for line in index if line.failed), widest)


def download_failure_text(failure: DownloadFailure) -> Text:
    text = Text(failure.headline, style="bold")
    if failure.gone:
        text.append(f" ({failure.reason}).")
        text.append(
            "\n\nOutput and error files are deleted when they expire: 30 days after the batch ends, "
            "or sooner if an expiry was set when the batch was created. Escape goes back."
        )
    else:
        text.append(f"\n\n{failure.reason}\n\nr tries again; Escape goes back.")
    return text


class ResultsScreen(Screen[None]):
    # Nothing to focus until the file is indexed ("" turns auto-focus off; None would inherit it).
    AUTO_FOCUS = ""
    BINDING_GROUP_TITLE = "Output and error files"
    BINDINGS = [
        Binding(
            "slash",
            "filter",
            "Filter",
            key_display="/",
            id="filter_results",
            tooltip="Filter by custom_id or text (Escape clears the filter)",
        ),
        Binding(
            "enter",
            "open_line",
            "Open line",
            id="open_result_line",
            tooltip="The selected line in full, pretty-printed",
        ),
        Binding(
            "g",
            "toggle_groups",
            "Group failures",
            id="group_failures",
            tooltip="Failures grouped by code and message",
        ),
        Binding("d", "save_file", "Save file", id="save_results", tooltip="Save the file (asks before overwriting)"),
        Binding("r", "reload", "Download again", id="reload_results", tooltip="Try the download again"),
        Binding("escape", "back", "Back", id="results_back", tooltip="Clear the filter, or go back"),
    ]

    def __init__(self, client: BatchClient, batch: Batch, kind: FileKind) -> None:
        super().__init__()
        self.client = client
        self.batch = batch
        self.kind = kind
        file_id = batch.output_file_id if kind == "output" else batch.error_file_id
        assert file_id, "opened without a file: the caller checks first"
        self.file_id: str = file_id
        self.path = cached_file(client.config, file_id)
        self.indexed: Indexed | None = None
        self.rows: list[ResultLine] = []
        self.filter_text = ""
        self.retryable_failure = False
        self.from_cache = False

    # Layout

    def compose(self) -> ComposeResult:
        title = Text("Output" if self.kind == "output" else "Errors", style="bold")
        title.append(f" of {clean(self.batch.id)}  ·  {clean(self.file_id)}  ·  {clean(self.batch.endpoint)}")
        yield Static(title, id="results-title")
        yield StepProgress(id="results-progress")
        yield Static(id="results-notice")
        yield Input(placeholder="filter by custom_id or text; Enter keeps it, Escape clears it", id="results-filter")
        yield ResultTable(id="results-table")
        with VerticalScroll(id="results-groups"):
            yield Static(id="results-groups-text")
        yield Static(id="results-info")
        yield LeanFooter()

    def on_mount(self) -> None:
        stop_work_on_leave(self)
        self.load()

    @property
    def table(self) -> ResultTable:
        return self.query_one(ResultTable)

    # Loading

    @work(exclusive=True, group="results-load")
    async def load(self) -> None:
        progress = self.query_one(StepProgress)
        self.retryable_failure = False
        self.refresh_bindings()
        progress.start(f"Downloading the {self.kind} file {clean(self.file_id)}")
        try:
            self.path, self.from_cache = await ensure_cached(self.client, self.file_id, progress.show)
        except (BatchAPIError, OSError) as error:
            failure = download_failure(self.kind, self.file_id, error, self.path)
            self._failed(download_failure_text(failure), retryable=not failure.gone)
            return
        progress.start("Indexing")
        path, report = self.path, ThreadProgress(progress)
        try:
            self.indexed = await in_thread(self, lambda: index_result_file(path, report))
        except WorkerFailed as failure:
            self._failed(Text(f"Could not read {clean(path)}: {clean(failure.error)}"))
            return
        progress.stop()
        self._show_index()

    @while_open
    def _failed(self, text: Text, *, retryable: bool = True) -> None:
        self.query_one(StepProgress).stop()
        notice = self.query_one("#results-notice", Static)
        notice.update(text)
        notice.display = True
        self.retryable_failure = retryable
        self.refresh_bindings()

    @while_open
    def _show_index(self) -> None:
        assert self.indexed is not None
        self.query_one("#results-notice").display = False
        self.rows = self.indexed.index.lines
        self.table.show_rows(self.rows, widest_id=self.indexed.widest_id, empty_text="The file is empty.")
        self.table.display = True
        self.table.focus()
        self.query_one("#results-groups-text", Static).update(self._groups_renderable())
        self._render_info()
        self.refresh_bindings()

    # Filtering

    @on(Input.Changed, "#results-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self.apply_filter(event.value)

    @on(Input.Submitted, "#results-filter")
    def _filter_submitted(self) -> None:
        self.table.focus()

    @work(exclusive=True, group="results-filter")
    async def apply_filter(self, text: str) -> None:
        indexed = self.indexed
        if indexed is None:
            return
        rows = await in_thread(self, lambda: indexed.index.filter(text)) if text else indexed.index.lines
        self._show_filtered(text, rows)

    @while_open
    def _show_filtered(self, text: str, rows: list[ResultLine]) -> None:
        if text != self.filter_text:
            return  # a newer keystroke is on its way
        self.rows = rows
        self.table.show_rows(rows, empty_text=f"Nothing matches {clean(text)!r}." if text else "The file is empty.")
        self._render_info()

    def _clear_filter(self) -> None:
        filter_input = self.query_one("#results-filter", Input)
        filter_input.value = ""
        filter_input.display = False
        self.filter_text = ""
        if self.indexed is not None:
            self._show_filtered("", self.indexed.index.lines)
        self.table.focus()

    # Actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        loaded = self.indexed is not None
        if action in ("filter", "toggle_groups", "save_file"):
            return True if loaded else None
        if action == "open_line":
            return True if loaded and self.table.current is not None and self.table.display else None
        if action == "reload":
            return self.retryable_failure
        return True

    def action_filter(self) -> None:
        self._show_groups(False)
        filter_input = self.query_one("#results-filter", Input)
        filter_input.display = True
        filter_input.focus()

    def action_back(self) -> None:
        if self.query_one("#results-groups").display:
            self._show_groups(False)
        elif self.filter_text or self.query_one("#results-filter").display:
            self._clear_filter()
        else:
            self.dismiss(None)

    def action_reload(self) -> None:
        self.query_one("#results-notice").display = False
        self.load()

    def action_toggle_groups(self) -> None:
        self._show_groups(not self.query_one("#results-groups").display)

    def _show_groups(self, show: bool) -> None:
        groups = self.query_one("#results-groups")
        groups.display = show
        self.table.display = not show and self.indexed is not None
        if show:
            groups.focus()
        elif self.table.display:
            self.table.focus()
        self.refresh_bindings()

    def action_open_line(self) -> None:
        if self.table.current is not None:
            self.open_line(self.table.current)

    @on(ResultTable.Opened)
    def _row_opened(self, event: ResultTable.Opened) -> None:
        self.open_line(event.result)

    @work(exclusive=True, group="results-line")
    async def open_line(self, result: ResultLine) -> None:
        indexed = self.indexed
        assert indexed is not None
        try:
            # A line can be megabytes: reading and pretty-printing it stay off the event loop.
            text, note = await in_thread(self, lambda: pretty_line(indexed.index.read_raw(result)))
        except WorkerFailed as failure:
            tell(self, f"Could not read line {result.line_number}: {failure.error}", severity="error")
            return
        self.app.push_screen(ResultLineScreen(result, text, note))

    def action_save_file(self) -> None:
        if self.indexed is not None:
            source = self.path
            prompt = SavePrompt(
                self.app,
                f"Save the {self.kind} file {self.file_id}",
                f"./{source.name}",
                lambda dest, overwrite: atomic_write_from(source, dest, overwrite=overwrite),
            )
            self.save_file(prompt)

    @work(exclusive=True, group="results-save")
    async def save_file(self, prompt: SavePrompt[int]) -> None:
        saved = await prompt.run()
        if saved is not None:
            tell(self, f"Saved {byte_size(saved.result)} to {saved.path.resolve()}")

    # What the user reads

    def _render_info(self) -> None:
        assert self.indexed is not None
        total = len(self.indexed.index)
        text = Text(f"{total:,} results", style="bold")
        if self.indexed.failed:
            text.append(f" · {self.indexed.failed:,} failed")
        if self.filter_text:
            text.append(" · filter ")
            text.append(repr(clean(self.filter_text)), style="bold")
            text.append(f": {len(self.rows):,} shown")
        # Where the cache lives differs per machine; the file name is enough to find it.
        source = "from the cache" if self.from_cache else "downloaded to the cache"
        text.append(f" · {source} as {clean(self.path.name)}", style="dim")
        self.query_one("#results-info", Static).update(text)

    def _groups_renderable(self) -> Table | Text:
        assert self.indexed is not None
        groups = self.indexed.groups
        if not groups:
            return Text("No failed requests in this file. g goes back to the list.", style="dim")
        table = Table(
            title=Text(
                f"{self.indexed.failed:,} failed requests in {len(groups):,} groups, most common first "
                "(g goes back to the list)",
                style="bold",
            ),
            title_justify="left",
            expand=True,
            show_edge=False,
        )
        table.add_column("Count", justify="right", no_wrap=True)
        table.add_column("Code", no_wrap=True)
        table.add_column("Message", ratio=3)
        table.add_column("Examples (custom_id)", ratio=2)
        for group in groups:
            table.add_row(
                Text(f"{group.count:,}", style="bold"),
                Text(clean(group.code)),
                Text(clean(group.message) or "—"),
                Text(", ".join(clean(custom_id) for custom_id in group.example_custom_ids), style="dim"),
            )
        return table
