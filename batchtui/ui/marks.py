"""The batches the user marked for a bulk action: ids kept by the main screen, whatever it shows.

Marks survive refreshes, paging, search and the active-only view, so each mark remembers the
last version of its batch seen anywhere: a marked batch off the current page can still be listed.
"""

from __future__ import annotations

from collections.abc import Iterable

from batchtui.api.models import Batch


class Marks:
    def __init__(self) -> None:
        # Insertion order is the order the user marked them in: dialogs list them that way.
        self._batches: dict[str, Batch] = {}

    def __len__(self) -> int:
        return len(self._batches)

    def __bool__(self) -> bool:
        return bool(self._batches)

    def __contains__(self, batch_id: object) -> bool:
        return batch_id in self._batches

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self._batches)

    def batches(self) -> list[Batch]:
        """The marked batches as last seen, in the order they were marked."""
        return list(self._batches.values())

    def toggle(self, batch: Batch) -> bool:
        """Mark the batch, or unmark it if it was marked; True when it is marked now."""
        if batch.id in self._batches:
            del self._batches[batch.id]
            return False
        self._batches[batch.id] = batch
        return True

    def see(self, batches: Iterable[Batch]) -> None:
        """Newer versions of batches from the server: marked ones are remembered as they are now."""
        for batch in batches:
            if batch.id in self._batches:
                self._batches[batch.id] = batch

    def discard(self, batch_ids: Iterable[str]) -> None:
        for batch_id in batch_ids:
            self._batches.pop(batch_id, None)

    def clear(self) -> None:
        self._batches.clear()
