"""The line above the table: the account's summary on the left (cut first when narrow), the total of the
rows on screen on the right; an empty string for a side with nothing to say."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from batchtui.api.models import Batch
from batchtui.glance.insight import Insight
from batchtui.glance.text import view_total


def glance_texts(
    account_summary: str | None, shown: Sequence[Batch], insights: Mapping[str, Insight]
) -> tuple[str, str]:
    total = view_total(shown, insights) if shown and insights else ""
    return account_summary or "", total
