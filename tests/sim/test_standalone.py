from __future__ import annotations

import selectors
import signal
import subprocess
import sys

import httpx

from tests.support.loopback import PLAIN_HTTP


def test_python_m_batchtui_sim_prints_its_url_serves_and_stops_cleanly() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "batchtui.sim", "--port", "0", "--count", "5", "--api-key", "k"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            assert selector.select(timeout=10), "no URL printed within 10 s"
        line = process.stdout.readline().strip()
        prefix = "batchtui simulator serving "
        assert line.startswith(prefix + "http://127.0.0.1:") and line.endswith("/v1")
        url = line.removeprefix(prefix)
        assert httpx.get(f"{url}/batches", verify=PLAIN_HTTP).status_code == 401
        page = httpx.get(f"{url}/batches", headers={"authorization": "Bearer k"}, verify=PLAIN_HTTP).json()
        assert len(page["data"]) == 5
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0
    assert stderr == ""


def test_sigterm_also_stops_it_cleanly() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "batchtui.sim", "--empty"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip().rsplit(" ", 1)[1]
    assert httpx.get(f"{url}/batches", verify=PLAIN_HTTP).json()["data"] == []
    process.terminate()
    _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0 and stderr == ""
