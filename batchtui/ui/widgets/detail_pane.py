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
        # Held, not queried: a refresh that ends while the screen is torn down still shows into them harmlessly.
        self._trend = Horizontal(id="detail-trend")
        self._trend_label = Static(id="detail-trend-label", markup=False)
        self._sparkline = Sparkline(id="detail-sparkline")
        self.detail = BatchDetail(id="detail")

    def compose(self) -> ComposeResult:
        with self._trend:
            yield self._trend_label
            yield self._sparkline
        yield self.detail

    def show(self, batch: Batch | None, now: float, insight: Insight | None = None) -> None:
        self.detail.show(batch, now, insight)
        samples = insight.samples if batch is not None and insight is not None else ()
        shown = has_trend(samples)
        # Only a change of visibility lays the pane out again; a new line or label is a repaint.
        self._trend.set_class(shown, "-shown")
        if not shown:
            return
        self._sparkline.data = resample(samples)
        label = trend_label(samples)
        if label != self._label:
            self._label = label
            self._trend_label.update(label, layout=False)
