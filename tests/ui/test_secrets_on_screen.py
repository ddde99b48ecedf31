"""The API key never reaches the screen: not in normal use, not when a server echoes it back, not in any dialog."""

from __future__ import annotations

import httpx
import pytest
from textual.widgets import DataTable, Static

from batchtui.ui.app import BatchApp
from batchtui.ui.dialogs.error_details import ErrorDetails
from batchtui.ui.dialogs.help import HelpScreen
from tests.support.apps import build_app
from tests.support.batches import numbered_batch
from tests.support.keys import FAKE_KEY
from tests.support.notifications import notifications
from tests.support.rendering import screen_lines, widget_text
from tests.support.waiting import settle
from tests.ui.fake_api import FakeAPI


def echo(status: int, *, where: str = "message") -> httpx.MockTransport:
    """A server that quotes the key it was sent, the way OpenAI's 401 does ("Incorrect API key provided: sk-...")."""

    def handler(request: httpx.Request) -> httpx.Response:
        key = request.headers["authorization"].removeprefix("Bearer ")
        if where == "html":
            page = f"<html><body>bad key {key}</body></html>"
            return httpx.Response(status, text=page, headers={"content-type": "text/html"})
        if where == "body":
            return httpx.Response(status, text=f"not json, but your key is {key}")
        error = {"message": f"Incorrect API key provided: {key}.", "type": f"auth {key}", "param": key, "code": key}
        return httpx.Response(status, json={"error": error}, headers={"x-request-id": "req_1"})

    return httpx.MockTransport(handler)


def everything_shown(app: BatchApp) -> str:
    """Every word the user could see: the screen, every widget of every open screen, toasts, the title."""
    parts = ["\n".join(screen_lines(app)), app.export_screenshot(), str(app.title), str(app.sub_title)]
    for screen in app.screen_stack:
        for widget in screen.query("*"):
            if isinstance(widget, Static):
                parts.append(widget_text(widget))
            elif isinstance(widget, DataTable):
                parts += [str(cell) for row in widget.rows for cell in widget.get_row(row)]
    parts += [str(note.message) + str(note.title) for note in notifications(app)]
    return "\n".join(parts)


def assert_no_key(app: BatchApp) -> None:
    shown = everything_shown(app)
    # Case-folded too: a host name or an escaped form would still give most of the key away.
    assert FAKE_KEY.lower() not in shown.lower(), "the API key is on screen"
    assert FAKE_KEY[3:].lower() not in shown.lower(), "most of the API key is on screen"


async def open_and_check(app: BatchApp, pilot, *keys: str, expect: type) -> None:
    await pilot.press(*keys)
    await pilot.pause()
    assert isinstance(app.screen, expect)
    assert_no_key(app)
    await pilot.press("escape")
    await pilot.pause()


async def test_the_key_is_not_shown_in_normal_use_nor_in_help():
    api = FakeAPI(batches=[numbered_batch(i) for i in range(3)])
    app = build_app(transport=api.transport())
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert app.screen.query_one(DataTable).row_count == 3
        assert_no_key(app)
        await pilot.press("y")  # copy id: a toast
        await pilot.pause()
        assert notifications(app)
        assert_no_key(app)
        await open_and_check(app, pilot, "question_mark", expect=HelpScreen)


@pytest.mark.parametrize(
    ("status", "where", "marker"),
    [
        (401, "message", "API key rejected"),
        (500, "message", "Server error (HTTP 500)"),
        (502, "html", "HTML page"),
        (200, "body", "not JSON"),
    ],
)
async def test_a_key_echoed_by_the_server_is_not_shown(status, where, marker):
    app = build_app(transport=echo(status, where=where))
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert marker in everything_shown(app)
        assert_no_key(app)
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, ErrorDetails)
        # The server's echo did reach the details, with the key replaced (an HTML page is summarised, not quoted).
        assert where == "html" or "«redacted key»" in everything_shown(app)
        assert_no_key(app)
        await pilot.press("escape")
        await open_and_check(app, pilot, "question_mark", expect=HelpScreen)


async def test_a_key_echoed_on_a_refresh_and_in_a_refused_cancel_is_not_shown():
    api = FakeAPI(batches=[numbered_batch(i) for i in range(3)])
    message = f"Incorrect API key provided: {FAKE_KEY}."
    api.cancel_refusal = (401, {"error": {"message": message, "type": "invalid_request_error"}})
    app = build_app(transport=api.transport())
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert any("Could not cancel" in str(note.message) for note in notifications(app))
        assert_no_key(app)
        api.fail_with = (500, {"error": {"message": message, "type": "server_error", "code": FAKE_KEY}})
        await pilot.press("r")
        await settle(app, pilot)
        assert app.screen.error is not None
        assert_no_key(app)
        await open_and_check(app, pilot, "E", expect=ErrorDetails)


async def test_a_redirect_that_names_the_key_is_not_shown():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": f"https://{FAKE_KEY}.evil.example/v1/batches"})

    app = build_app(transport=httpx.MockTransport(handler))
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert app.screen.error is not None
        assert_no_key(app)
        await open_and_check(app, pilot, "E", expect=ErrorDetails)


async def test_a_key_echoed_in_the_request_id_header_is_not_shown():
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"error": {"message": "Server error", "type": "server_error", "param": None, "code": None}}
        return httpx.Response(500, json=body, headers={"x-request-id": request.headers["authorization"]})

    app = build_app(transport=httpx.MockTransport(handler))
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await open_and_check(app, pilot, "E", expect=ErrorDetails)


async def test_a_key_in_the_base_url_is_not_shown_in_the_title_bar():
    api = FakeAPI(batches=[numbered_batch(0)])
    app = build_app(transport=api.transport(), base_url=f"http://user:{FAKE_KEY}@fake.test/v1")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert "fake.test/v1" in widget_text(app.screen.query_one("#title-bar"))
        assert_no_key(app)
