"""Dependencies point one way: cli -> ui -> (api, store, jsonl); sim stands beside them and none reaches the UI.

jsonl may use the two fact modules of api (statuses, endpoints); api imports nothing of its neighbours.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import batchtui

PACKAGE = Path(batchtui.__file__).resolve().parent
UI = ("textual", "batchtui.ui")
API_MUST_NOT_IMPORT = (
    "batchtui.jsonl",
    "batchtui.ui",
    "batchtui.sim",
    "batchtui.config",
    "batchtui.cli",
    "batchtui.demo",
    "batchtui.store",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    return imports_in(path.read_text(encoding="utf-8"), package)


def imports_in(source: str, package: str) -> list[tuple[int, str]]:
    """Every module the source imports, anywhere in it (functions included), relative imports resolved."""
    tree = ast.parse(source)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            # `from batchtui import ui` imports batchtui.ui too.
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call) and _is_dynamic_import(node.func) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((node.lineno, first.value))
    return found


def _is_dynamic_import(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id in ("__import__", "import_module")) or (
        isinstance(func, ast.Attribute) and func.attr == "import_module"
    )


def files_under(subpackage: str) -> list[Path]:
    """Every module of a subpackage; none yet for one still to be written, so its rules hold from its first file."""
    return sorted((PACKAGE / subpackage).rglob("*.py"))


def is_under(name: str, forbidden: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in forbidden)


def violations(subpackage: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in files_under(subpackage):
        for line, name in imports_of(path):
            if is_under(name, forbidden):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}")
    return found


def modules_loaded_by(imports: str) -> set[str]:
    """What a fresh interpreter holds after running `imports`."""
    probe = f"import sys\n{imports}\nprint('\\n'.join(sys.modules))\n"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_the_import_scanner_sees_imports() -> None:
    # Guards the checks below against passing because they look at nothing.
    assert all(files_under(subpackage) for subpackage in ("api", "sim", "jsonl", "ui"))
    names = {name for _, name in imports_of(PACKAGE / "api" / "client.py")}
    assert {"httpx", "batchtui.api.errors", "batchtui.api.models", "batchtui"} <= names
    app_names = {name for _, name in imports_of(PACKAGE / "ui" / "app.py")}
    assert "textual.app" in app_names
    assert any(n.startswith("batchtui.ui.") for _, n in imports_of(PACKAGE / "cli.py"))


def test_the_scanner_resolves_relative_and_dynamic_imports() -> None:
    probe = (
        "from ..ui import app\nfrom . import models\nimport importlib\n"
        "def later():\n    importlib.import_module('textual.widgets')\n"
    )
    names = {name for _, name in imports_in(probe, "batchtui.api")}
    assert {"batchtui.ui", "batchtui.ui.app", "batchtui.api.models", "textual.widgets"} <= names


@pytest.mark.parametrize("subpackage", ["api", "sim", "jsonl", "store"])
def test_core_packages_never_import_the_ui(subpackage: str) -> None:
    assert violations(subpackage, UI) == []


def test_sim_imports_nothing_from_api_or_ui() -> None:
    assert violations("sim", ("batchtui.api", "batchtui.ui")) == []


def test_api_imports_nothing_above_or_beside_it() -> None:
    assert violations("api", ("rich", *API_MUST_NOT_IMPORT)) == []


def test_the_api_check_catches_a_re_export_from_jsonl() -> None:
    # The line api/models.py once had: jsonl depends on api's facts, never the other way round.
    old_re_export = "from batchtui.jsonl.limits import BATCH_ENDPOINTS  # noqa: F401\n"
    names = [name for _, name in imports_in(old_re_export, "batchtui.api")]
    assert names and all(is_under(name, API_MUST_NOT_IMPORT) for name in names)


def test_importing_every_api_module_loads_nothing_beside_it() -> None:
    modules = sorted(module_name(path) for path in files_under("api"))
    loaded = modules_loaded_by("\n".join(f"import {name}" for name in modules))
    assert set(modules) <= loaded
    assert sorted(name for name in loaded if is_under(name, (*API_MUST_NOT_IMPORT, "textual"))) == []


def test_the_fact_modules_load_no_network_code() -> None:
    # jsonl and the store may use them only because they load nothing else of batchtui.api.
    loaded = modules_loaded_by("import batchtui.api.statuses, batchtui.api.endpoints")
    assert sorted(name for name in loaded if is_under(name, ("httpx", "httpcore", "pydantic", "batchtui.api"))) == [
        "batchtui.api",
        "batchtui.api.endpoints",
        "batchtui.api.statuses",
    ]


def test_store_imports_neither_textual_nor_httpx_nor_the_ui() -> None:
    assert violations("store", ("textual", "httpx", "batchtui.ui")) == []


def test_importing_the_service_layer_loads_no_ui() -> None:
    loaded = modules_loaded_by(
        "import batchtui.api.client, batchtui.config, batchtui.cli, batchtui.sim, batchtui.jsonl"
    )
    assert sorted(name for name in loaded if is_under(name, UI)) == []


def test_the_import_probe_would_notice_textual() -> None:
    assert "textual" in modules_loaded_by("import batchtui.ui.app")


GLANCE_MUST_NOT_IMPORT = ("textual", "httpx", "rich", "batchtui.ui")


def test_glance_imports_neither_textual_nor_httpx_nor_the_ui() -> None:
    assert files_under("glance"), "the check would look at nothing"
    assert violations("glance", GLANCE_MUST_NOT_IMPORT) == []


def test_importing_glance_loads_no_ui_no_http_client_and_not_the_price_list() -> None:
    # genai-prices costs ~330 ms to import: it is loaded by the first estimate, on a worker thread, never at start-up.
    modules = sorted(module_name(path) for path in files_under("glance"))
    loaded = modules_loaded_by("\n".join(f"import {name}" for name in modules))
    assert set(modules) <= loaded
    assert sorted(name for name in loaded if is_under(name, (*GLANCE_MUST_NOT_IMPORT, "genai_prices"))) == []


def test_the_glance_probe_would_notice_the_price_list() -> None:
    assert "genai_prices" in modules_loaded_by("import batchtui.glance.prices\nbatchtui.glance.prices.warm_up()")
