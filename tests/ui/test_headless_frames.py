"""The folder's headless apps compose a frame only when a test looks, and always the screen a test ends on."""

from __future__ import annotations

import pytest
from textual._compositor import Compositor
from textual.app import App, ComposeResult
from textual.widgets import Static


class Fragile(Static):
    """Draws until told to break, then raises the way a widget with a rendering bug would."""

    DEFAULT_CSS = "Fragile { width: 20; height: 1; }"  # a fixed size: only drawing calls render
    broken = False

    def render(self):
        if self.broken:
            raise RuntimeError("this widget cannot be drawn")
        return super().render()


class OneWidget(App[None]):
    def compose(self) -> ComposeResult:
        yield Fragile("before", id="fragile")


def chops_counter(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    render_chops = Compositor._render_chops

    def counted(self, *args, **kwargs):
        calls[0] += 1
        return render_chops(self, *args, **kwargs)

    monkeypatch.setattr(Compositor, "_render_chops", counted)
    return calls


async def test_a_change_composes_no_frame_but_a_screenshot_shows_it(monkeypatch):
    app = OneWidget()
    async with app.run_test(size=(40, 5)) as pilot:
        calls = chops_counter(monkeypatch)
        app.query_one(Fragile).update("after")
        await pilot.pause()
        assert calls == [0]
        assert "after" in app.export_screenshot()
        assert calls == [1]


async def test_a_widget_that_cannot_be_drawn_at_the_end_fails_the_test():
    app = OneWidget()
    with pytest.raises(RuntimeError, match="cannot be drawn"):
        async with app.run_test(size=(40, 5)) as pilot:
            widget = app.query_one(Fragile)
            widget.broken = True
            widget.refresh()
            await pilot.pause()  # no frame is composed here, so nothing has raised yet
