"""Every failure reaches the user as words: in the status line or the notice, once, with details behind E."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import pytest

from batchtui.api.retry import RetryPolicy
from batchtui.clock import ManualClock
from batchtui.ui.app import BatchApp
from batchtui.ui.dialogs.error_details import ErrorDetails
from batchtui.ui.widgets.batch_table import BatchTable
from tests.support.apps import build_app
from tests.support.batches import NOW, numbered_batch
from tests.support.notifications import notifications
from tests.support.rendering import status_fetch, widget_text
from tests.support.waiting import settle, wait_until
from tests.ui.fake_api import FakeAPI

Handler = Callable[[httpx.Request], httpx.Response]
REQUEST_ID = "req_7d1e0c5a9b"


def api_error(
    status: int, message: str, *, code: str | None, type_: str = "invalid_request_error", headers: dict | None = None
) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"error": {"message": message, "type": type_, "param": None, "code": code}}
        return httpx.Response(status, json=body, headers={"x-request-id": REQUEST_ID, **(headers or {})})

    return handler


def raw(status: int, body: str, content_type: str) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status, content=body.encode(), headers={"content-type": content_type, "x-request-id": REQUEST_ID}
        )

    return handler


def raises(make_error: Callable[[httpx.Request], Exception]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise make_error(request)

    return handler


NGINX_502 = (
    "<html><head><title>502 Bad Gateway</title></head>"
    "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
)


@dataclass
class Case:
    handler: Handler
    says: list[str]  # words the notice or status line must show
    details: list[str] = field(default_factory=list)  # words ErrorDetails (E) must show


CASES = {
    "400": Case(
        api_error(400, "Invalid 'limit': integer above maximum value.", code="integer_above_max_value"),
        ["HTTP 400", "Invalid 'limit': integer above maximum value."],
        ["Type: invalid_request_error", "Code: integer_above_max_value", f"Request id: {REQUEST_ID}"],
    ),
    "401": Case(
        api_error(401, "Incorrect API key provided.", code="invalid_api_key"),
        ["API key rejected", "Incorrect API key provided.", "OPENAI_API_KEY"],
        ["Type: invalid_request_error", "Code: invalid_api_key", f"Request id: {REQUEST_ID}"],
    ),
    "403": Case(
        api_error(403, "You have insufficient permissions for this operation.", code="insufficient_permissions"),
        ["Permission denied (HTTP 403)", "You have insufficient permissions for this operation."],
        ["Code: insufficient_permissions", f"Request id: {REQUEST_ID}"],
    ),
    "404": Case(
        api_error(404, "Invalid URL (GET /v1/batches)", code="unknown_url"),
        ["Not found (HTTP 404)", "Invalid URL (GET /v1/batches)"],
        ["Code: unknown_url", f"Request id: {REQUEST_ID}"],
    ),
    "409": Case(
        api_error(409, "Another operation is in progress on this project.", code="conflict"),
        ["HTTP 409", "Another operation is in progress on this project."],
        ["Code: conflict", f"Request id: {REQUEST_ID}"],
    ),
    "422": Case(
        api_error(422, "limit must be an integer", code="invalid_type"),
        ["HTTP 422", "limit must be an integer"],
        ["Code: invalid_type", f"Request id: {REQUEST_ID}"],
    ),
    "429": Case(
        api_error(
            429,
            "Rate limit reached for requests. Please try again in 20s.",
            type_="requests",
            code="rate_limit_exceeded",
            headers={"retry-after": "20"},
        ),
        ["Rate limited (HTTP 429)", "Rate limit reached for requests."],
        ["Type: requests", "Code: rate_limit_exceeded", f"Request id: {REQUEST_ID}"],
    ),
    "500": Case(
        api_error(500, "The server had an error while processing your request.", type_="server_error", code=None),
        ["Server error (HTTP 500)", "The server had an error while processing your request."],
        ["Type: server_error", f"Request id: {REQUEST_ID}"],
    ),
    "502-html": Case(
        raw(502, NGINX_502, "text/html"),
        ["Server error (HTTP 502)", "HTML page"],
        [f"Request id: {REQUEST_ID}"],
    ),
    "dns": Case(
        raises(lambda request: httpx.ConnectError("[Errno -2] Name or service not known", request=request)),
        ["Could not resolve the host of http://fake.test"],
    ),
    "refused": Case(
        raises(lambda request: httpx.ConnectError("[Errno 111] Connection refused", request=request)),
        ["Connection refused by http://fake.test", "is the server running?"],
    ),
    "tls": Case(
        raises(
            lambda request: httpx.ConnectError(
                "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate", request=request
            )
        ),
        ["TLS handshake with http://fake.test failed", "CERTIFICATE_VERIFY_FAILED"],
    ),
    "read-timeout": Case(
        raises(lambda request: httpx.ReadTimeout("timed out", request=request)),
        ["did not answer in time", "read timeout"],
    ),
    "200-not-json": Case(
        raw(200, "<html><body>Welcome to our captive portal</body></html>", "text/html"),
        ["something that is not JSON"],
        [f"Request id: {REQUEST_ID}", "captive portal"],
    ),
    "200-wrong-shape": Case(
        raw(200, json.dumps({"batches": [], "count": 0}), "application/json"),
        ["not a list object"],
        ["Body starts:", '"batches"'],
    ),
    "unexpected-exception": Case(
        raises(lambda request: RuntimeError("a bug in a transport")),
        ["Unexpected error", "RuntimeError", "a bug in a transport"],
    ),
}


def status_text(app: BatchApp) -> str:
    return status_fetch(app)


def notice_text(app: BatchApp) -> str:
    notice = app.screen.query_one("#notice")
    return widget_text(notice) if notice.display else ""


def flat(text: str) -> str:
    """Rendered text with its line wrapping undone, to look for whole sentences."""
    return " ".join(text.split())


def assert_not_loading(app: BatchApp) -> None:
    shown = status_text(app) + notice_text(app)
    assert "Loading" not in shown and "Refreshing" not in shown, shown


@pytest.mark.parametrize("name", list(CASES))
async def test_a_first_load_failure_is_shown_in_words_with_details_behind_E(name):
    await shows_the_failure(CASES[name])


async def test_a_200_of_the_wrong_shape_keeps_its_request_id():
    case = CASES["200-wrong-shape"]
    await shows_the_failure(Case(case.handler, case.says, [*case.details, f"Request id: {REQUEST_ID}"]))


async def shows_the_failure(case: Case) -> None:
    app = build_app(transport=httpx.MockTransport(case.handler))
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        shown = flat(notice_text(app) + " " + status_text(app))
        for words in case.says:
            assert words in shown, (words, shown)
        assert "⚠" in status_text(app)
        assert_not_loading(app)
        # One message in the status line, not a toast.
        assert not notifications(app)

        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, ErrorDetails)
        details = flat(widget_text(app.screen.query_one("#error-dialog Static")))
        for words in [*case.says[:1], *case.details]:
            assert words in details, (words, details)


STALE_CASES = ["403", "429", "500", "502-html", "refused", "read-timeout", "200-not-json", "200-wrong-shape"]


async def test_a_failed_refresh_keeps_the_rows_marked_stale_with_their_age():
    fake = FakeAPI(batches=[numbered_batch(i) for i in range(5)])
    failure: Handler | None = None

    def handler(request: httpx.Request) -> httpx.Response:
        return failure(request) if failure else fake.handle(request)

    clock = ManualClock(NOW)
    app = build_app(transport=httpx.MockTransport(handler), clock=clock)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        table = screen.query_one(BatchTable)
        assert table.row_count == 5 and not table.has_class("-stale")

        for ticks, name in enumerate(STALE_CASES, start=1):
            failure = CASES[name].handler
            fetched = clock.now()
            for _ in range(ticks % 2 + 1):  # one or two failed ticks: still one message, no toasts
                clock.advance(45)
                await pilot.press("r")
                await settle(app, pilot)
            assert table.display and not screen.query_one("#notice").display, name
            assert table.row_count == 5, name
            assert table.has_class("-stale"), name
            status = flat(status_text(app))
            stamp = time.strftime("%H:%M:%S", time.gmtime(fetched))
            ago = "45s" if ticks % 2 == 0 else "1m 30s"
            assert f"Stale, from {stamp} ({ago} ago)" in status, (name, status)
            assert CASES[name].says[0][:40] in status, (name, status)
            assert_not_loading(app)
            assert not notifications(app), name

            # The next tick that works clears the error and the stale mark.
            failure = None
            await pilot.press("r")
            await settle(app, pilot)
            assert not table.has_class("-stale"), name
            assert screen.error is None, name
            status = status_text(app)
            assert "⚠" not in status and status.startswith("Updated"), (name, status)


class ControlledSleep:
    """Stands in for asyncio.sleep in the client: records the wait and holds it until released."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.sleeping = asyncio.Event()
        self.release = asyncio.Event()

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        self.sleeping.set()
        await self.release.wait()


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (429, {"retry-after": "7"}, "Rate limited · retrying in 7s"),
        (503, {"retry-after-ms": "3000"}, "Server error (HTTP 503): overloaded · retrying in 3s"),
    ],
)
async def test_the_status_line_says_what_it_is_waiting_for_while_it_retries(status, headers, expected):
    fake = FakeAPI(batches=[numbered_batch(i) for i in range(3)])
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            body = {"error": {"message": "overloaded", "type": "requests", "param": None, "code": None}}
            return httpx.Response(status, json=body, headers=headers)
        return fake.handle(request)

    sleep = ControlledSleep()
    app = build_app(transport=httpx.MockTransport(handler), retry=RetryPolicy(max_retries=1), retry_sleep=sleep)
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_until(pilot, sleep.sleeping.is_set)
        await pilot.pause()
        assert expected in status_text(app), status_text(app)
        assert not notifications(app)

        sleep.release.set()
        await settle(app, pilot)
        assert app.screen.query_one(BatchTable).row_count == 3
        assert status_text(app).startswith("Updated"), status_text(app)
        assert calls == 2


async def test_when_retries_run_out_the_retry_countdown_gives_way_to_the_error():
    sleep = ControlledSleep()
    handler = CASES["429"].handler
    app = build_app(transport=httpx.MockTransport(handler), retry=RetryPolicy(max_retries=1), retry_sleep=sleep)
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_until(pilot, sleep.sleeping.is_set)
        await pilot.pause()
        assert "retrying in 20s" in status_text(app)
        sleep.release.set()
        await settle(app, pilot)
        status = status_text(app)
        assert "retrying" not in status and "Rate limited (HTTP 429)" in status, status
        assert_not_loading(app)
        assert sleep.delays == [20.0]


async def test_the_list_has_the_keys_again_after_a_notice_hid_it():
    fake = FakeAPI(batches=[numbered_batch(i) for i in range(5)])
    kept = list(fake.batches)
    app = build_app(transport=fake.transport())
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        fake.batches.clear()  # the account empties: the notice replaces the table
        await pilot.press("r")
        await settle(app, pilot)
        assert "No batches yet" in notice_text(app)
        fake.batches.extend(kept)
        await pilot.press("r")
        await settle(app, pilot)
        assert screen.query_one(BatchTable).display
        await pilot.press("j")
        assert screen.selected_id == "batch_0001", app.focused


async def test_a_401_during_a_refresh_keeps_the_rows_marked_stale():
    fake = FakeAPI(batches=[numbered_batch(i) for i in range(5)])
    failure: Handler | None = None

    def handler(request: httpx.Request) -> httpx.Response:
        return failure(request) if failure else fake.handle(request)

    app = build_app(transport=httpx.MockTransport(handler))
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        failure = CASES["401"].handler
        await pilot.press("r")
        await settle(app, pilot)
        table = app.screen.query_one(BatchTable)
        assert table.display and table.has_class("-stale") and table.row_count == 5
        assert "API key rejected" in status_text(app)
