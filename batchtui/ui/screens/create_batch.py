"""Create a batch: check the file locally, upload it once, create once, and never guess about a lost answer.

The order is fixed: the form, then the pre-flight check of every line (nothing is
uploaded from a file that fails it), then the upload, then the create. A create
whose answer was lost is never repeated blindly: the screen looks for a batch
made from the uploaded file first, and a second try reuses that file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Label, Select, Static, TextArea
from textual.worker import WorkerFailed

from batchtui.api.client import BatchClient
from batchtui.api.endpoints import BATCH_ENDPOINTS
from batchtui.api.errors import AmbiguousCreateError, BatchAPIError, InvalidResponseError, describe
from batchtui.api.models import Batch
from batchtui.jsonl.preflight import PreflightReport, check_input_file, detect_endpoint
from batchtui.ui.batch_form import BatchForm, CreateDefaults, format_metadata, parse_form
from batchtui.ui.dialogs.file_picker import FilePicker
from batchtui.ui.formatting import clean
from batchtui.ui.screen_work import ThreadProgress, in_thread, stop_work_on_leave, while_open
from batchtui.ui.toasts import tell
from batchtui.ui.widgets.lean_footer import LeanFooter
from batchtui.ui.widgets.step_progress import StepProgress

EXPIRY_HINT = "seconds from 3600 to 2592000 (or 12h, 30d); empty: the server's default (30 days)"


@dataclass(frozen=True)
class UploadedFile:
    """A file this screen uploaded, reused while the file on disk is unchanged."""

    path: Path
    size: int
    modified_ns: int
    file_id: str
    endpoint: str
    """The endpoint the file was checked against."""

    def matches(self, path: Path, endpoint: str | None) -> bool:
        try:
            info = path.stat()
        except OSError:
            return False
        same_file = (path.resolve(), info.st_size, info.st_mtime_ns) == (self.path, self.size, self.modified_ns)
        return same_file and endpoint in (None, self.endpoint)


def uploaded_file(path: Path, file_id: str, endpoint: str) -> UploadedFile:
    info = path.stat()
    return UploadedFile(path.resolve(), info.st_size, info.st_mtime_ns, file_id, endpoint)


@dataclass(frozen=True)
class Lookup:
    """What looking for the batch of a lost create found out."""

    known: bool
    batch: Batch | None = None


class CreateBatchScreen(Screen[Batch | None]):
    BINDING_GROUP_TITLE = "New batch"
    BINDINGS = [
        Binding(
            "ctrl+s",
            "submit",
            "Create",
            priority=True,
            id="submit_batch",
            tooltip="Check the file, upload it and create the batch",
        ),
        Binding(
            "ctrl+o",
            "browse",
            "Browse",
            priority=True,
            id="browse_input",
            tooltip="Pick the input file from a folder tree",
        ),
        Binding("escape", "leave", "Back", id="leave_create", tooltip="Leave without creating anything"),
    ]

    def __init__(self, client: BatchClient, defaults: CreateDefaults | None = None) -> None:
        super().__init__()
        self.client = client
        self.defaults = defaults or CreateDefaults()
        self.busy: str | None = None
        self.uploaded: UploadedFile | None = None
        # Set when a create's answer was lost and looking for its batch failed too.
        self.unresolved_file_id: str | None = None

    # Layout

    def compose(self) -> ComposeResult:
        defaults = self.defaults
        yield Static(Text("Create a batch", style="bold"), id="create-title")
        with VerticalScroll(id="create-form"):
            yield Label("Input file (.jsonl)")
            yield Input(defaults.path, placeholder="path of the .jsonl input file; ctrl+o browses", id="create-path")
            yield Label("Endpoint")
            yield Select(
                [(endpoint, endpoint) for endpoint in BATCH_ENDPOINTS],
                prompt="from the file's first request",
                value=defaults.endpoint if defaults.endpoint in BATCH_ENDPOINTS else Select.NULL,
                id="create-endpoint",
            )
            yield Static(id="create-endpoint-note")
            yield Label("Completion window")
            yield Input(defaults.completion_window, placeholder="24h (some servers take 48h or 7d)", id="create-window")
            yield Label("Metadata: key=value, one pair per line (at most 16; keys ≤ 64, values ≤ 512 characters)")
            yield TextArea(format_metadata(defaults.metadata), id="create-metadata")
            yield Label("Output file expiry")
            yield Input(placeholder=EXPIRY_HINT, id="create-expiry")
            yield Static(id="create-problems")
            yield StepProgress(id="create-progress")
            yield Static(id="create-report")
        yield LeanFooter()

    def on_mount(self) -> None:
        stop_work_on_leave(self)
        self.query_one("#create-path", Input).focus()
        if self.defaults.path:
            self.detect(self.defaults.path, keep_chosen=self.defaults.endpoint is not None)

    # The endpoint follows the file

    @on(Input.Changed, "#create-path")
    def _path_changed(self, event: Input.Changed) -> None:
        self.detect(event.value, keep_chosen=False)

    @work(exclusive=True, group="create-detect")
    async def detect(self, text: str, keep_chosen: bool) -> None:
        path = Path(text.strip()).expanduser() if text.strip() else None
        endpoint = await in_thread(self, lambda: detect_endpoint(path)) if path is not None else None
        self._show_detected(endpoint, keep_chosen)

    @while_open
    def _show_detected(self, endpoint: str | None, keep_chosen: bool) -> None:
        note = self.query_one("#create-endpoint-note", Static)
        note.display = endpoint is not None
        if endpoint is None:
            return
        select = self.query_one("#create-endpoint", Select)
        if endpoint in BATCH_ENDPOINTS:
            if not keep_chosen:
                select.value = endpoint
            note.update(Text(f"The file's first request is for {endpoint}.", style="dim"))
        else:
            note.update(Text(f"The file's first request is for {clean(endpoint)}, which is not a batch endpoint."))

    # Submitting

    def action_submit(self) -> None:
        if self.busy is not None:
            self._report(Text(f"Still {self.busy}…", style="bold"))
            return
        select = self.query_one("#create-endpoint", Select)
        form, problems = parse_form(
            self.query_one("#create-path", Input).value,
            None if select.is_blank() else str(select.value),
            self.query_one("#create-window", Input).value,
            self.query_one("#create-metadata", TextArea).text,
            self.query_one("#create-expiry", Input).value,
        )
        self._show_problems(problems)
        if form is not None:
            self.create(form)

    @work(exclusive=True, group="create")
    async def create(self, form: BatchForm) -> None:
        progress = self.query_one(StepProgress)
        try:
            file_id, endpoint = await self._input_file(form)
            if file_id is None or endpoint is None:
                return
            batch = await self._create_once(file_id, endpoint, form)
        finally:
            self.busy = None
            progress.stop()
        if batch is not None:
            self.dismiss(batch)

    async def _input_file(self, form: BatchForm) -> tuple[str | None, str | None]:
        """The uploaded file's id and the endpoint, after the file passed pre-flight; (None, None) if not."""
        if self.uploaded is not None and self.uploaded.matches(form.path, form.endpoint):
            return self.uploaded.file_id, self.uploaded.endpoint
        self.uploaded = self.unresolved_file_id = None
        self.busy = "checking the file"
        progress = self.query_one(StepProgress)
        progress.start(f"Checking {clean(form.path.name)}")
        checked = ThreadProgress(progress)
        try:
            report = await in_thread(self, lambda: check_input_file(form.path, form.endpoint, progress=checked))
        except WorkerFailed as failure:
            self._report(Text(f"The check stopped: {clean(failure.error)}"))
            return None, None
        self._report(self._preflight_text(report))
        if not report.ok or report.endpoint is None:
            return None, None
        self.busy = "uploading"
        progress.start(f"Uploading {clean(form.path.name)}", total=report.size_bytes)
        try:
            uploaded = await self.client.upload_file(form.path, purpose="batch", progress=progress.show)
            self.uploaded = uploaded_file(form.path, uploaded.id, report.endpoint)
        except BatchAPIError as error:
            self._report(self._failure("The upload failed; nothing was created.", error))
            return None, None
        except OSError as error:
            self._report(Text(f"Could not read {clean(form.path)}: {clean(error.strerror or error)}"))
            return None, None
        return uploaded.id, report.endpoint

    async def _create_once(self, file_id: str, endpoint: str, form: BatchForm) -> Batch | None:
        if self.unresolved_file_id == file_id:
            # The last create's outcome is still unknown: look before sending another.
            lookup = await self._look_for_batch(file_id)
            if not lookup.known or lookup.batch is not None:
                return lookup.batch
        self.busy = "creating the batch"
        self._report(Text(f"Creating the batch from {clean(file_id)}…"))
        try:
            return await self.client.create_batch(
                file_id,
                endpoint,
                completion_window=form.completion_window,
                metadata=form.metadata or None,
                output_expires_after_seconds=form.output_expires_after,
            )
        except (AmbiguousCreateError, InvalidResponseError) as error:
            # An unreadable 2xx answer may still mean a batch was made: the same look first, never a blind retry.
            self._report(Text(f"{clean(error)} Looking for a batch made from {clean(file_id)} before anything else…"))
            return (await self._look_for_batch(file_id)).batch
        except BatchAPIError as error:
            self._report(
                self._failure(
                    f"The server did not create the batch. The form is as you left it; "
                    f"ctrl+s tries again with the uploaded file {file_id}.",
                    error,
                )
            )
            return None

    async def _look_for_batch(self, file_id: str) -> Lookup:
        self.busy = "looking for the batch"
        try:
            found = await self.client.find_batch_by_input_file(file_id)
        except BatchAPIError as error:
            self.unresolved_file_id = file_id
            self._report(
                self._failure(
                    "Could not tell whether the batch was created. ctrl+s looks for it again before creating "
                    "anything; the batch list shows it too if it exists.",
                    error,
                )
            )
            return Lookup(known=False)
        self.unresolved_file_id = None
        if found is not None:
            tell(
                self.app,
                f"The answer was lost, but the batch was created after all: {found.id} (selected in the list).",
                title="Batch created",
                timeout=10,
            )
            return Lookup(known=True, batch=found)
        self._report(
            Text(
                f"No batch was created. Press ctrl+s to try again: the uploaded file {clean(file_id)} is reused, "
                f"not uploaded again.",
                style="bold",
            )
        )
        return Lookup(known=True)

    # Leaving

    def action_leave(self) -> None:
        if self.busy == "creating the batch" or self.busy == "looking for the batch":
            # Leaving now would leave the user not knowing whether a billed batch started.
            self._report(Text(f"Wait: {self.busy}. Leaving now would hide whether it exists.", style="bold"))
            return
        self.dismiss(None)

    def action_browse(self) -> None:
        if self.busy is None:
            self.browse()

    @work(exclusive=True, group="create-browse")
    async def browse(self) -> None:
        current = Path(self.query_one("#create-path", Input).value.strip() or ".").expanduser()
        start = current if current.is_dir() else current.parent if current.parent.is_dir() else Path(".")
        chosen = await self.app.push_screen_wait(FilePicker(start.resolve()))
        if chosen is not None:
            path_input = self.query_one("#create-path", Input)
            shown = os.path.relpath(chosen)
            path_input.value = chosen if shown.startswith("..") else shown
            path_input.focus()

    # What the user reads

    def _show_problems(self, problems: list[str]) -> None:
        widget = self.query_one("#create-problems", Static)
        widget.display = bool(problems)
        if problems:
            text = Text("Fix the form first:", style="bold")
            for problem in problems:
                text.append(f"\n  • {clean(problem)}")
            widget.update(text)
            widget.scroll_visible()

    @while_open
    def _report(self, text: Text) -> None:
        widget = self.query_one("#create-report", Static)
        widget.update(text)
        widget.display = True
        widget.scroll_visible()

    def _failure(self, headline: str, error: BatchAPIError) -> Text:
        text = Text(headline, style="bold")
        text.append("\n")
        text.append(clean(describe(error)))
        return text

    def _preflight_text(self, report: PreflightReport) -> Text:
        theme = self.app.theme_variables
        if report.ok:
            text = Text("✓ ", style=theme.get("text-success", ""))
            text.append(clean(report.summary()))
            return text
        text = Text("✗ Not uploaded: ", style=f"bold {theme.get('text-error', '')}".strip())
        text.append(clean(report.summary()), style="bold")
        text.append("\n")
        for problem in report.problems:
            where = f"line {problem.line:,}" if problem.line is not None else "file"
            text.append(f"  {where:>12}  ", style="bold")
            text.append(clean(problem.message))
            text.append("\n")
        unlisted = report.total_problems - len(report.problems)
        if unlisted > 0:
            text.append(f"  … and {unlisted:,} more (the first {len(report.problems)} are listed)\n", style="dim")
        text.append("Fix the file and press ctrl+s again.", style="dim")
        return text
