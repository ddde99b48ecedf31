"""Cancelling from the batch list: the selected batch, or every marked one after one question.

The dialogs are pushed at once and answered inside a worker the screen runs, so the work stops when the
screen leaves; the outcome goes back to the screen, which draws it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from batchtui.api.errors import APIStatusError, BatchAPIError
from batchtui.api.models import Batch
from batchtui.ui.bulk import CANCEL_UNDER_WAY, cancel_plan
from batchtui.ui.dialogs.confirm_cancel import ConfirmCancel
from batchtui.ui.text.bulk import cancel_summary, nothing_to_cancel

if TYPE_CHECKING:
    from batchtui.ui.screens.batches import BatchesScreen


class CancelFlows:
    def __init__(self, screen: BatchesScreen) -> None:
        self.screen = screen

    def cancel_one(self, batch: Batch) -> None:
        screen = self.screen
        # Pushed here, not from the worker: keys typed right after `c` must meet the dialog, not the list.
        answer = ConfirmCancel(batch).ask(screen.app)

        async def cancel_when_confirmed() -> None:
            if not await answer:
                screen.tell(f"{batch.id} keeps running.", timeout=3)
                return
            outcome = await self._cancel(batch.id)
            if isinstance(outcome, str):
                screen.tell(f"Could not cancel {batch.id}: {outcome}", severity="error")
                return
            screen.replace_batch(outcome)
            screen.tell(f"Cancelling {batch.id}: it can take a few minutes to stop.", timeout=5)

        screen.run_worker(cancel_when_confirmed(), exclusive=True, group="cancel")

    def cancel_marked(self) -> None:
        screen = self.screen
        plan = cancel_plan(screen.marks.batches())
        if not plan.chosen:
            screen.tell(nothing_to_cancel(plan.skipped))
            return
        from batchtui.ui.dialogs.confirm_bulk_cancel import ConfirmBulkCancel  # loaded when first asked

        answer = ConfirmBulkCancel(plan).ask(screen.app)

        async def cancel_when_confirmed() -> None:
            if not await answer:
                screen.tell("Nothing was cancelled.", timeout=3)
                return
            cancelled: list[str] = []
            failed: list[tuple[str, str]] = []
            # One after another, one request each: the client's cancel already retries what is safe to.
            for batch in plan.chosen:
                outcome = await self._cancel(batch.id)
                if isinstance(outcome, str):
                    failed.append((batch.id, outcome))
                    continue
                cancelled.append(batch.id)
                screen.marks.discard([batch.id])
                screen.replace_batch(outcome)
            screen.marks_changed()
            screen.tell(
                cancel_summary(cancelled, failed, plan.skipped),
                severity="warning" if failed else "information",
                timeout=10,
            )

        screen.run_worker(cancel_when_confirmed(), exclusive=True, group="cancel")

    async def _cancel(self, batch_id: str) -> Batch | str:
        """One cancel request: the batch as it is now, or why it could not be cancelled."""
        try:
            return await self.screen.client.cancel_batch(batch_id)
        except APIStatusError as error:
            updated = await self._outcome(batch_id)
            return error.describe() if updated is None else updated
        except BatchAPIError as error:
            return error.describe()

    async def _outcome(self, batch_id: str) -> Batch | None:
        """After a refused cancel: if an earlier, retried attempt got through, the batch says so."""
        try:
            current = await self.screen.client.retrieve_batch(batch_id)
        except BatchAPIError:
            return None
        return current if current.status in CANCEL_UNDER_WAY else None
