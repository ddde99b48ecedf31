"""Importing jsonl loads no UI, no network code and no simulator; of batchtui.api only the two fact modules."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).parents[2]
MODULES = sorted(f"batchtui.jsonl.{path.stem}" for path in (REPO / "batchtui" / "jsonl").glob("[!_]*.py"))
FORBIDDEN = ("textual", "httpx", "httpcore", "batchtui.ui", "batchtui.sim", "batchtui.api")
# The batchtui.api package itself loads with them; its __init__ is a docstring.
ALLOWED = {"batchtui.api", "batchtui.api.endpoints", "batchtui.api.statuses"}


def forbidden_after_importing(modules: list[str]) -> list[str]:
    """The forbidden modules a fresh interpreter holds once it has imported `modules`."""
    probe = "import sys\n" + "".join(f"import {name}\n" for name in modules) + "print('\\n'.join(sys.modules))\n"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO)
    loaded = result.stdout.split()
    return sorted(
        name
        for name in loaded
        if name not in ALLOWED and any(name == prefix or name.startswith(prefix + ".") for prefix in FORBIDDEN)
    )


def test_jsonl_imports_no_ui_network_or_simulator():
    assert "batchtui.jsonl.preflight" in MODULES  # the glob found the package
    assert forbidden_after_importing(MODULES) == []


def test_the_check_would_notice_the_http_client():
    found = forbidden_after_importing(["batchtui.api.client"])
    assert {"httpx", "batchtui.api.client", "batchtui.api.models"} <= set(found)
