"""Saving the marked batches' output files into a folder the user picks, one after another, with the
progress in the status line; the download runs in a worker of the screen, so it stops when the screen leaves."""

from __future__ import annotations

import functools
from collections.abc import Awaitable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import WorkerFailed

from batchtui.api.errors import BatchAPIError, describe
from batchtui.ui.bulk import BulkPlan, default_folder, download_plan, output_name, save_beside_others
from batchtui.ui.file_cache import ensure_cached
from batchtui.ui.screen_work import in_thread
from batchtui.ui.text.bulk import download_progress, download_summary

if TYPE_CHECKING:
    from batchtui.ui.screens.batches import BatchesScreen


class SaveMarkedOutputs:
    def __init__(self, screen: BatchesScreen) -> None:
        self.screen = screen

    def start(self) -> None:
        screen = self.screen
        marks = screen.marks
        # Pushed here, not from the worker: keys typed right after `d` must meet the dialog, not the list.
        from batchtui.ui.dialogs.choose_folder import ChooseFolder  # loaded when first asked

        folder = ChooseFolder(f"Save the output files of {len(marks)} marked batches into", default_folder())
        screen.run_worker(
            self._save(folder.ask(screen.app), download_plan(marks.batches())),
            name="download_marked",
            group="download-marked",
            exclusive=True,
        )

    async def _save(self, answer: Awaitable[Path | None], plan: BulkPlan) -> None:
        screen = self.screen
        folder = await answer
        if folder is None:
            return
        saved: list[tuple[str, Path]] = []
        failed: list[tuple[str, str]] = []
        try:
            for number, batch in enumerate(plan.chosen, 1):
                screen.show_activity(download_progress(number, len(plan.chosen), batch.id))
                assert batch.output_file_id is not None
                try:
                    source, _ = await ensure_cached(screen.client, batch.output_file_id)
                    name = output_name(batch.id)
                    save = functools.partial(save_beside_others, source, folder, name)
                    saved.append((batch.id, await in_thread(screen, save)))
                except (BatchAPIError, OSError) as error:
                    failed.append((batch.id, describe(error)))
                except WorkerFailed as failure:
                    failed.append((batch.id, describe(failure.error)))
        finally:
            screen.show_activity(None)
        screen.tell(
            download_summary(folder, saved, failed, plan.skipped),
            severity="warning" if failed else "information",
            timeout=10,
        )
