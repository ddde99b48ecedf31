"""The detail pane: how a batch's completed requests grew over the time it was watched, above BatchDetail."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Sparkline, Static

from batchtui.api.models import Batch
from batchtui.glance.durations import duration
from batchtui.glance.insight import Insight
from batchtui.ui.widgets.batch_detail import BatchDetail

# Evenly spaced points the observations are resampled onto; the Sparkline groups them into its width.
TREND_POINTS = 120
Sample = tuple[float, int]  # (observed_at, completed)


def resample(samples: Sequence[Sample], points: int = TREND_POINTS) -> list[float]:
    """Completed requests at `points` evenly spaced moments from the first sample to the last.

    Each moment takes the newest count observed by then: observations come at an uneven pace (only when the
    counts change), and spacing them evenly would stretch a quiet hour into one step.
    """
    if len(samples) < 2 or points < 2:
        return [float(completed) for _, completed in samples]
    start, end = samples[0][0], samples[-1][0]
    values: list[float] = []
    index = 0
    for step in range(points):
        moment = start + (end - start) * step / (points - 1)
        while index + 1 < len(samples) and samples[index + 1][0] <= moment:
            index += 1
        values.append(float(samples[index][1]))
    return values


def trend_label(samples: Sequence[Sample]) -> Text:
    """'completed over 42m' and, below, where the count went from and to."""
    span = samples[-1][0] - samples[0][0]
    label = Text(f"completed over {duration(span)}")
    label.append(f"\n{samples[0][1]:,} → {samples[-1][1]:,}", style="dim")
    return label


def has_trend(samples: Sequence[Sample]) -> bool:
    return len(samples) >= 2 and samples[-1][0] > samples[0][0]


class DetailPane(Vertical):
    """The trend line (shown once a batch has two observations at different times) and BatchDetail below it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._label: Text | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="detail-trend"):
            yield Static(id="detail-trend-label", markup=False)
            yield Sparkline(id="detail-sparkline")
        yield BatchDetail(id="detail")

    @property
    def detail(self) -> BatchDetail:
        return self.query_one(BatchDetail)

    def show(self, batch: Batch | None, now: float, insight: Insight | None = None) -> None:
        self.detail.show(batch, now, insight)
        samples = insight.samples if batch is not None and insight is not None else ()
        shown = has_trend(samples)
        # Only a change of visibility lays the pane out again; a new line or label is a repaint.
        self.query_one("#detail-trend").set_class(shown, "-shown")
        if not shown:
            return
        self.query_one(Sparkline).data = resample(samples)
        label = trend_label(samples)
        if label != self._label:
            self._label = label
            self.query_one("#detail-trend-label", Static).update(label, layout=False)
