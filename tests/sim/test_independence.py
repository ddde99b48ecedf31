from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

import batchtui.sim

SIM_DIR = pathlib.Path(batchtui.sim.__file__).parent
FORBIDDEN = ("textual", "rich", "batchtui.ui", "batchtui.api", "httpx", "pydantic")


def test_the_simulator_imports_only_the_standard_library_and_itself() -> None:
    for source in SIM_DIR.glob("*.py"):
        tree = ast.parse(source.read_text(), filename=str(source))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert (
                    name.split(".")[0] in sys.stdlib_module_names
                    or name.startswith("batchtui.sim")
                    or name == "batchtui.clock"  # the one clock, standard library only
                    or (name == "__future__")
                ), f"{source.name} imports {name}"


def test_importing_the_simulator_loads_no_client_or_ui_code() -> None:
    code = "import sys, batchtui.sim; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert not [name for name in loaded if name.startswith(FORBIDDEN)]
