import subprocess
import sys
from pathlib import Path

MODULES = ["atomic", "limits", "line_reader", "preflight", "result_file", "result_summary", "retry_file"]
REPO = Path(__file__).parents[2]
FORBIDDEN = "('textual', 'httpx', 'batchtui.ui', 'batchtui.sim', 'batchtui.api')"


def test_jsonl_imports_no_ui_network_or_simulator():
    imports = "; ".join(f"import batchtui.jsonl.{name}" for name in MODULES)
    report = f"import sys; print(sorted(name for name in sys.modules if name.startswith({FORBIDDEN})))"

    command = [sys.executable, "-c", f"{imports}; {report}"]
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=REPO)

    assert result.stdout.strip() == "[]"
