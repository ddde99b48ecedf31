"""The store is plain Python: it loads no UI, no HTTP client and no pydantic, and agrees with the API on statuses."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import batchtui.store
from batchtui.store import statuses
from batchtui.store.query import ENDPOINT_NAMES

FORBIDDEN = ("textual", "httpx", "pydantic", "batchtui.ui", "batchtui.api")
# The API's plain modules (facts, lenient parsing): the store shares them rather than keeping copies.
ALLOWED = ("batchtui.api", "batchtui.api.statuses", "batchtui.api.endpoints", "batchtui.api.lenient")


def store_modules() -> list[str]:
    return sorted(f"batchtui.store.{info.name}" for info in pkgutil.iter_modules(batchtui.store.__path__))


def loaded_after_importing(modules: list[str]) -> list[str]:
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"forbidden, allowed = {FORBIDDEN!r}, {ALLOWED!r}\n"
        "hits = (m for m in sys.modules if m not in allowed and any(m == f or m.startswith(f + '.') for f in forbidden))\n"
        "print(','.join(sorted(hits)))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return [name for name in result.stdout.strip().split(",") if name]


def test_importing_every_store_module_loads_no_ui_http_client_or_pydantic() -> None:
    modules = store_modules()
    assert {"batchtui.store.database", "batchtui.store.planner", "batchtui.store.query"} <= set(modules)
    assert loaded_after_importing(["batchtui.store", *modules]) == []


def test_the_probe_would_notice_a_forbidden_import() -> None:
    # Guards the test above against passing because it looks at nothing.
    assert "httpx" in loaded_after_importing(["batchtui.store", "batchtui.api.client"])


def test_the_store_status_groups_mirror_the_api_ones() -> None:
    from batchtui.api import statuses as api_statuses

    assert statuses.KNOWN == api_statuses.KNOWN
    assert statuses.TERMINAL == api_statuses.TERMINAL
    assert statuses.ACTIVE == api_statuses.ACTIVE
    assert set(statuses.SORT_ORDER) == set(statuses.KNOWN)


def test_every_endpoint_name_the_table_shows_is_a_filter_value() -> None:
    from batchtui.api import endpoints

    paths = {path for group in ENDPOINT_NAMES.values() for path in group}
    assert paths == set(endpoints.BATCH_ENDPOINTS)
    for path, name in endpoints.ENDPOINT_NAMES.items():
        assert path in ENDPOINT_NAMES[name], name
