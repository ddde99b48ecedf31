"""The results and retry screens say the same words about the same failed download, each adding what it means there."""

from __future__ import annotations

import pytest

from batchtui.api.client import ClientConfig
from batchtui.ui.file_cache import cached_file
from batchtui.ui.screens.recovery import RecoveryScreen
from batchtui.ui.screens.results import ResultsScreen
from tests.support.apps import FAKE_URL, build_app
from tests.support.batches import numbered_batch
from tests.support.files import jsonl, result_line
from tests.support.keys import FAKE_KEY
from tests.support.rendering import widget_text
from tests.support.waiting import settle, wait_until
from tests.ui.lifecycle_fakes import LifecycleAPI

OVERLOADED = (503, {"error": {"message": "The engine is currently overloaded.", "type": "server_error"}})


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BATCHTUI_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def api() -> LifecycleAPI:
    ids = {"input_file_id": "file-in", "output_file_id": "file-out", "error_file_id": None}
    files = {"file-in": b"{}\n", "file-out": jsonl([result_line("c0")])}
    return LifecycleAPI(batches=[numbered_batch(0, "expired", **ids)], files=files)


def words(widget) -> str:
    return " ".join(widget_text(widget).split())


async def failure_on(key: str, screen_type: type, shown: str, *, overloaded: bool) -> str:
    fake = api()
    app = build_app(transport=fake.transport())
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        fake.fail_with = OVERLOADED if overloaded else None
        await pilot.press(key)
        await wait_until(pilot, lambda: isinstance(app.screen, screen_type) and words(app.screen.query_one(shown)))
        return words(app.screen.query_one(shown))


async def test_a_refused_download(cache):
    results = await failure_on("o", ResultsScreen, "#results-notice", overloaded=True)
    retry = await failure_on("R", RecoveryScreen, "#recovery-report", overloaded=True)
    reason = "Server error (HTTP 503): The engine is currently overloaded."
    assert results.startswith(f"Could not download the output file file-out {reason}")
    assert "r tries again" in results
    assert retry == f"Could not download the input file file-in: {reason}"


async def test_a_cache_that_cannot_be_written(cache):
    cache.write_text("a file where the cache folder should be")
    results = await failure_on("o", ResultsScreen, "#results-notice", overloaded=False)
    retry = await failure_on("R", RecoveryScreen, "#recovery-report", overloaded=False)
    # The account's own folder sits under the cache folder, which a file now stands in the place of.
    folder = cached_file(ClientConfig(api_key=FAKE_KEY, base_url=FAKE_URL), "x").parent
    assert folder.is_relative_to(cache)
    assert results.startswith(
        f"Could not write the output file to the cache at {folder}/file-out.jsonl Not a directory"
    )
    assert retry == f"Could not write the input file to the cache at {folder}/file-in.jsonl: Not a directory"
