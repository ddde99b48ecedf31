"""Retry what did not finish: a new input file with only the requests that got no successful answer.

The original input, output and error files are downloaded (or taken from the cache),
the retry file is built in the cache, the user reads how many requests it holds and
why, saves it where they like, and can go straight to creating a batch from it.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.worker import WorkerFailed

from batchtui.api.client import BatchClient
from batchtui.api.errors import BatchAPIError
from batchtui.api.models import Batch
from batchtui.jsonl.atomic import atomic_write_from
from batchtui.jsonl.retry_file import RetryReport, build_retry_file
from batchtui.ui.batch_form import CreateDefaults
from batchtui.ui.dialogs.save_file import SavePrompt
from batchtui.ui.file_cache import cached_file, ensure_cached, retry_draft
from batchtui.ui.formatting import clean
from batchtui.ui.screen_work import in_thread, stop_work_on_leave, while_open
from batchtui.ui.screens.create_batch import CreateBatchScreen
from batchtui.ui.text.download_failure import DownloadFailure, download_failure
from batchtui.ui.widgets.step_progress import StepProgress


class RetryProblem(Exception):
    """A file the retry needs could not be had; the message says which and why."""


def reasons_table(report: RetryReport) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold", no_wrap=True)
    table.add_column()
    rows: list[tuple[int, str]] = [
        (count, f"answered HTTP {status}") for status, count in report.failed_by_status.items()
    ]
    if report.expired:
        rows.append((report.expired, "cut off when the completion window expired"))
    rows += [(count, f"failed with {clean(code)}") for code, count in report.failed_by_error.items()]
    if report.no_result:
        rows.append((report.no_result, "have no result (cancelled, or never run)"))
    for count, reason in rows:
        table.add_row(f"{count:,}", reason)
    table.add_row(Text(f"{report.succeeded:,}", style="dim"), Text("succeeded: left out", style="dim"))
    if report.unreadable_input_lines:
        table.add_row(f"{report.unreadable_input_lines:,}", "input lines without a readable custom_id: left out")
    return table


class RecoveryScreen(ModalScreen[Batch | None]):
    BINDING_GROUP_TITLE = "Retry file"
    BINDINGS = [
        Binding("s", "save", "Save retry file", id="save_retry", tooltip="Save the retry file where you choose"),
        Binding(
            "c",
            "create_from_retry",
            "Create batch",
            id="create_from_retry",
            tooltip="Create a batch from the retry file (saves it first)",
        ),
        Binding("escape", "close", "Close", id="close_retry", tooltip="Close without creating anything"),
    ]

    def __init__(self, client: BatchClient, batch: Batch) -> None:
        super().__init__()
        self.client = client
        self.batch = batch
        self.draft = retry_draft(batch.id)
        self.report: RetryReport | None = None
        self.saved_path: Path | None = None
        self.notes: list[str] = []

    def compose(self) -> ComposeResult:
        title = Text("Retry the unfinished requests of ", style="bold")
        title.append(clean(self.batch.id), style="bold")
        title.append(f"  ({clean(self.batch.status)})")
        with Vertical(id="recovery-dialog", classes="lifecycle-dialog"):
            yield Static(title)
            yield StepProgress(id="recovery-progress")
            yield Static(id="recovery-report")
            yield Static(id="recovery-keys")

    def on_mount(self) -> None:
        stop_work_on_leave(self)
        self.build()

    # Building

    @work(exclusive=True, group="recovery")
    async def build(self) -> None:
        try:
            paths = await self._download_all()
        except RetryProblem as problem:
            self.query_one(StepProgress).stop()
            self._show(Text(clean(str(problem))), keys="Escape closes.")
            return
        progress = self.query_one(StepProgress)
        progress.start("Building the retry file")
        try:
            self.report = await in_thread(self, lambda: self._build_file(*paths))
        except WorkerFailed as failure:
            self._show(Text(f"Could not build the retry file: {clean(failure.error)}"), keys="Escape closes.")
            return
        finally:
            progress.stop()
        self._show_report()

    async def _download_all(self) -> tuple[Path, list[Path], list[Path]]:
        batch = self.batch
        files = [("input", batch.input_file_id), ("output", batch.output_file_id), ("error", batch.error_file_id)]
        wanted = [(kind, file_id) for kind, file_id in files if file_id]
        progress = self.query_one(StepProgress)
        found: dict[str, Path] = {}
        for number, (kind, file_id) in enumerate(wanted, start=1):
            progress.start(f"Downloading the {kind} file {clean(file_id)} ({number} of {len(wanted)})")
            try:
                found[kind], _ = await ensure_cached(self.client, file_id, progress.show)
            except (BatchAPIError, OSError) as error:
                failure = download_failure(kind, file_id, error, cached_file(self.client.config, file_id))
                if failure.gone and kind == "error":
                    self.notes.append(f"{failure.sentence()}: its requests are counted as 'no result'.")
                    continue
                raise RetryProblem(self._missing(kind, failure)) from None
        progress.stop()
        outputs = [found["output"]] if "output" in found else []
        errors = [found["error"]] if "error" in found else []
        return found["input"], outputs, errors

    @staticmethod
    def _missing(kind: str, failure: DownloadFailure) -> str:
        if not failure.gone:
            return failure.sentence()
        if kind == "input":
            return f"{failure.sentence()}, so the original requests cannot be read back. No retry file was built."
        return (
            f"{failure.sentence()}, so batchtui cannot tell which requests succeeded. "
            "No retry file was built: one built now could run successful requests a second time."
        )

    def _build_file(self, input_path: Path, outputs: list[Path], errors: list[Path]) -> RetryReport:
        self.draft.parent.mkdir(parents=True, exist_ok=True)
        return build_retry_file(input_path, outputs, errors, self.draft, overwrite=True)

    # Saving, and creating from it

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save", "create_from_retry"):
            return True if self.report is not None and self.report.included else None
        return True

    def action_save(self) -> None:
        if self.report is not None and self.report.included:
            self.save(self._save_prompt())

    def action_create_from_retry(self) -> None:
        if self.report is not None and self.report.included:
            self.save_and_create(self._save_prompt() if self.saved_path is None else None)

    @work(exclusive=True, group="recovery-save")
    async def save(self, prompt: SavePrompt[int]) -> None:
        await self._save(prompt)

    @work(exclusive=True, group="recovery-save")
    async def save_and_create(self, prompt: SavePrompt[int] | None) -> None:
        if prompt is not None and not await self._save(prompt):
            return
        assert self.saved_path is not None
        defaults = CreateDefaults(
            path=str(self.saved_path),
            endpoint=self.batch.endpoint,
            completion_window=self.batch.completion_window,
            metadata={"retry_of": self.batch.id},
        )
        created = await self.app.push_screen_wait(CreateBatchScreen(self.client, defaults))
        if created is not None:
            self.dismiss(created)

    def _save_prompt(self) -> SavePrompt[int]:
        # Made in the action, so the dialog is up before the next key is read.
        draft = self.draft
        return SavePrompt(
            self.app,
            f"Save the retry file of {self.batch.id}",
            f"./{draft.name}",
            lambda dest, overwrite: atomic_write_from(draft, dest, overwrite=overwrite),
        )

    async def _save(self, prompt: SavePrompt[int]) -> bool:
        saved = await prompt.run()
        if saved is None:
            return False
        self.saved_path = saved.path
        self._show_report()
        return True

    def action_close(self) -> None:
        self.dismiss(None)

    # What the user reads

    @while_open
    def _show(self, text: RenderableType, *, keys: str) -> None:
        self.query_one("#recovery-report", Static).update(text)
        self.query_one("#recovery-keys", Static).update(Text(keys, style="dim"))
        self.refresh_bindings()

    def _show_report(self) -> None:
        report = self.report
        assert report is not None
        if not report.included:
            text = Text(f"Nothing to retry: {clean(report.summary())}.", style="bold")
            self._show(text, keys="Escape closes.")
            return
        headline = Text(clean(report.summary()), style="bold")
        parts: list[RenderableType] = [headline, Text(""), reasons_table(report)]
        for note in self.notes:
            parts.append(Text(f"\n{clean(note)}", style="italic"))
        if self.saved_path is not None:
            saved = Text("\nSaved to ")
            saved.append(clean(self.saved_path.resolve()), style="bold")
            parts.append(saved)
        keys = "s saves it · c creates a batch from it (metadata retry_of=" + clean(self.batch.id) + ") · Escape closes"
        self._show(Group(*parts), keys=keys)
