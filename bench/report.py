"""Figures and sections, and the three ways they are written: a terminal table, JSON, and Markdown."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.stats import Summary, summarize


@dataclass
class Figure:
    key: str  # stable name in the JSON, e.g. "startup.batchtui"
    label: str
    unit: str  # ms, s, %, MB/s, MiB, KiB/min, x, req
    values: list[float]
    goal: str | None = None
    met: bool | None = None  # None: no goal, or not judged
    note: str | None = None

    @property
    def summary(self) -> Summary:
        return summarize(self.values)

    def judge(self, goal: str, met: bool) -> Figure:
        self.goal, self.met = goal, met
        return self

    def as_json(self) -> dict[str, object]:
        summary = self.summary
        return {
            "key": self.key,
            "label": self.label,
            "unit": self.unit,
            "median": _finite(summary.median),
            "min": _finite(summary.low),
            "max": _finite(summary.high),
            "n": summary.n,
            "values": [_finite(value) for value in self.values],
            "goal": self.goal,
            "met": self.met,
            "note": self.note,
        }


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        return figure

    def as_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "title": self.title,
            "seconds": round(self.seconds, 1),
            "error": self.error,
            "notes": self.notes,
            "figures": [figure.as_json() for figure in self.figures],
        }


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 6)


def number(value: float, unit: str) -> str:
    if math.isnan(value):
        return "—"
    if unit == "x":
        return f"{value:.2f}×"
    if unit == "KiB/min":
        return f"{value:+.0f}"
    if unit in ("%", "req"):
        return f"{value:.2f}"
    if unit == "MB/s":
        return f"{value:.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def cells(figure: Figure) -> tuple[str, str, str, str, str]:
    summary = figure.summary
    unit = "" if figure.unit == "x" else f" {figure.unit}"
    median = number(summary.median, figure.unit) + unit
    low, high = (number(value, figure.unit).rstrip("×") for value in (summary.low, summary.high))
    spread = f"{low}–{high}" if summary.n > 1 else ""
    verdict = {True: "met", False: "MISSED", None: ""}[figure.met]
    goal = f"{figure.goal} {verdict}".strip() if figure.goal else ""
    return figure.label, median, spread, str(summary.n), goal


def table(sections: Sequence[Section]) -> str:
    rows: list[tuple[str, ...]] = []
    headers = ("Figure", "median", "min–max", "n", "goal")
    for section in sections:
        rows.append((section.title,))
        if section.error:
            rows.append((f"  failed: {section.error}",))
        rows += [(f"  {row[0]}", *row[1:]) for row in map(cells, section.figures)]
    widths = [max(len(headers[i]), *(len(row[i]) for row in rows if len(row) > 1)) for i in range(len(headers))]
    lines = [_line(headers, widths), _line(tuple("-" * w for w in widths), widths)]
    lines += [row[0] if len(row) == 1 else _line(row, widths) for row in rows]
    return "\n".join(lines)


def _line(row: tuple[str, ...], widths: list[int]) -> str:
    first = row[0].ljust(widths[0])
    rest = [
        cell.rjust(width) if i < 3 else cell.ljust(width)
        for i, (cell, width) in enumerate(zip(row[1:], widths[1:], strict=True))
    ]
    return "  ".join([first, *rest]).rstrip()


def markdown(sections: Sequence[Section], machine: dict[str, object], mode: str, seconds: float) -> str:
    out = [
        f"Run {machine['date']} · {mode} run, {seconds / 60:.1f} min · {machine['nproc']} cores, {machine['cpu']} · "
        f"Python {machine['python']} · textual {machine['textual']}, httpx {machine['httpx']}, "
        f"pydantic {machine['pydantic']}; baseline openai {machine['openai'] or '—'}, curl {machine['curl'] or '—'}",
        "",
        "| Figure | median | min–max | n | goal |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for section in sections:
        out.append(f"| **{section.title}** | | | | |")
        if section.error:
            out.append(f"| failed: {section.error} | | | | |")
        for figure in section.figures:
            label, median, spread, n, goal = cells(figure)
            goal = goal.replace("MISSED", "**missed**")
            out.append(f"| {label} | {median} | {spread} | {n} | {goal} |")
    notes: list[str] = []
    for section in sections:
        number = section.title.split(".", 1)[0]
        notes += [f"- {number}: {note}" for note in section.notes]
        notes += [f"  - {figure.label}: {figure.note}" for figure in section.figures if figure.note]
    if notes:
        out += ["", "Notes:", "", *notes]
    return "\n".join(out) + "\n"


def write_json(path: Path, sections: Sequence[Section], machine: dict[str, object], mode: str, seconds: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "mode": mode,
        "seconds": round(seconds, 1),
        "machine": machine,
        "sections": [section.as_json() for section in sections],
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
