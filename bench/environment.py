"""Where things are, which interpreters run what, and the machine the figures came from."""

from __future__ import annotations

import atexit
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CACHE = BENCH / ".cache"
RESULTS = BENCH / "results"
BENCH_VENV = BENCH / ".venv"
REQUIREMENTS = BENCH / "requirements.txt"

# The simulator checks it like a real server would; it is not a secret.
API_KEY = "sk-bench-not-a-real-key"
TERMINAL_SIZE = (120, 40)  # columns, lines: every on-screen figure uses the same terminal


@dataclass
class Context:
    """What every benchmark is handed: the mode, the interpreters, and a place to say what it is doing."""

    quick: bool
    project_python: Path  # the project's venv: batchtui, textual, httpx, pydantic
    sdk_python: Path | None  # bench/.venv with the official SDK; None when it could not be built
    batchtui: list[str]  # the command a user runs
    curl: str | None
    idle_seconds: int | None = None  # --idle-seconds: a longer idle watch than the mode's default
    # BATCHTUI_CACHE_DIR for every child unless a benchmark gives its own: never the user's cache.
    cache_dir: Path = field(default_factory=lambda: scratch_dir("cache"))
    notes: list[str] = field(default_factory=list)

    def say(self, message: str) -> None:
        print(f"  · {message}", flush=True)

    def env(self, **extra: str) -> dict[str, str]:
        """A clean environment for children: no inherited OpenAI settings, a plain colour terminal."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AZURE_OPENAI_"))}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # children should start from cached bytecode, as installs do
        env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG="C.UTF-8")
        # No config file of the developer's: every run measures the defaults.
        env.update(BATCHTUI_CACHE_DIR=str(self.cache_dir), XDG_CONFIG_HOME=str(self.cache_dir / "config"))
        env.update(extra)
        return env

    def pick(self, full: int, quick: int) -> int:
        return quick if self.quick else full


def scratch_dir(purpose: str) -> Path:
    """An empty temporary folder, removed when the run ends."""
    path = Path(tempfile.mkdtemp(prefix=f"batchtui-bench-{purpose}-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def make_context(quick: bool, idle_seconds: int | None = None) -> Context:
    project_python = Path(sys.executable)
    script = project_python.parent / "batchtui"
    command = [str(script)] if script.exists() else [str(project_python), "-m", "batchtui"]
    return Context(
        quick=quick,
        project_python=project_python,
        sdk_python=ensure_sdk_venv(),
        batchtui=command,
        curl=shutil.which("curl"),
        idle_seconds=idle_seconds,
    )


def ensure_sdk_venv() -> Path | None:
    """bench/.venv with the pinned official SDK, built once from PyPI; None (and a note) if that fails."""
    python = BENCH_VENV / "bin" / "python"
    stamp = BENCH_VENV / ".installed"
    wanted = REQUIREMENTS.read_text(encoding="utf-8")
    if python.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return python
    print("Building bench/.venv with the official SDK (once)…", flush=True)
    try:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True, timeout=120)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(REQUIREMENTS)],
            check=True,
            timeout=600,
        )
    except (subprocess.SubprocessError, OSError) as error:
        print(f"  Could not build bench/.venv ({error}); the SDK baselines are skipped.", flush=True)
        return None
    stamp.write_text(wanted, encoding="utf-8")
    return python


def _package_version(python: Path | None, name: str) -> str | None:
    if python is None:
        return None
    if Path(python) == Path(sys.executable):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None
    code = f"from importlib.metadata import version; print(version({name!r}))"
    result = subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=30)
    return result.stdout.strip() or None


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine(context: Context) -> dict[str, object]:
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "textual": _package_version(context.project_python, "textual"),
        "httpx": _package_version(context.project_python, "httpx"),
        "pydantic": _package_version(context.project_python, "pydantic"),
        "openai": _package_version(context.sdk_python, "openai"),
        "curl": _curl_version(context.curl),
    }


def _curl_version(curl: str | None) -> str | None:
    if curl is None:
        return None
    result = subprocess.run([curl, "--version"], capture_output=True, text=True, timeout=10)
    first = result.stdout.split("\n", 1)[0].split()
    return first[1] if len(first) > 1 else None
