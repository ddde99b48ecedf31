"""The wheel carries everything the app needs: build it, install it into a fresh venv, start the app there.

A stylesheet that only exists in the checkout would pass every other test and
crash for every user; this is the test that catches it.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

APP_CHECK = r"""
import asyncio, sys
from pathlib import Path
import batchtui
from batchtui.api.client import BatchClient, ClientConfig
from batchtui.config import Settings
from batchtui.sim import SimConfig, Simulator
from batchtui.ui.app import BatchApp, stylesheet_dir

package = Path(batchtui.__file__).resolve().parent
assert package.is_relative_to(Path(sys.prefix).resolve()), f"imported from the checkout: {package}"
assert stylesheet_dir() == package / "styles", stylesheet_dir()

async def main():
    with Simulator(SimConfig(api_key="sk-wheel")) as sim:
        settings = Settings(api_key="sk-wheel", base_url=sim.base_url)
        app = BatchApp(settings)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            table = app.screen.query_one("#batch-table")
            assert table.row_count > 0, "no rows"
            # A style from styles/app.tcss: the title bar is one line tall.
            assert app.screen.query_one("#title-bar").outer_size.height == 1
    print("wheel app ok")

asyncio.run(main())
"""


def test_wheel_installs_and_runs_with_its_stylesheets(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        # With the backend from this environment (hatchling, a dev dependency): an isolated build env is
        # installed afresh on each run, two thirds of the build's time, for the same wheel.
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(dist),
            str(REPO),
        ],
        check=True,
    )
    wheel = next(dist.glob("batchtui-*.whl"))
    env_dir = tmp_path / "venv"
    # No pip of its own (ensurepip takes seconds): this environment's pip installs into it with --python.
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    # The dependencies come from this environment, so the test needs no network; batchtui itself
    # comes only from the wheel (a .pth line does not run the editable install's own .pth hook).
    site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
        ).strip()
    )
    (site / "project_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(wheel)],
        check=True,
    )
    result = subprocess.run([python, "-c", APP_CHECK], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "wheel app ok" in result.stdout
    listing = subprocess.check_output([python, "-m", "zipfile", "-l", str(wheel)], text=True)
    assert "batchtui/styles/app.tcss" in listing
