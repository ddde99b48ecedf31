"""The public face: a simulated Batch + Files API served over real HTTP on a loopback port."""

from __future__ import annotations

import signal
import threading
from types import TracebackType

from batchtui.clock import Clock, SystemClock
from batchtui.sim.config import SimConfig
from batchtui.sim.faults import FaultConfig, FaultInjector
from batchtui.sim.request_log import RecordedRequest, RequestLog
from batchtui.sim.routes import Dispatcher
from batchtui.sim.server import SimHTTPServer
from batchtui.sim.store import Store


class Simulator:
    def __init__(self, config: SimConfig | None = None, clock: Clock | None = None) -> None:
        self.config = config or SimConfig()
        self.clock: Clock = clock or SystemClock()
        self._store = Store(self.config, self.clock)
        self._log = RequestLog()
        self._dispatcher = Dispatcher(self._store, self.config.api_key)
        self.set_faults(self.config.fault_config())
        self._server: SimHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve in a daemon thread; returns the base URL, e.g. http://127.0.0.1:54321/v1."""
        if self._server is not None:
            raise RuntimeError("the simulator is already running")
        self._server = SimHTTPServer((host, port), self._dispatcher, self._log)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},  # how soon stop() is noticed
            name="batchtui-sim",
            daemon=True,
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        thread.join()
        self._server = self._thread = None

    def serve_until_signalled(
        self, banner: str, host: str = "127.0.0.1", port: int = 0, limit: float | None = None
    ) -> None:
        """Print `banner` and the URL, then serve until Ctrl-C, SIGTERM or `limit` seconds (main thread only)."""
        stopped = threading.Event()
        # Both signals only set a flag: a KeyboardInterrupt raised at a random point could land inside
        # a lock the shutdown then waits on (a stop once hung past 10 s under load).
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stopped.set())
        url = self.start(host=host, port=port)
        print(f"{banner} {url}", flush=True)
        try:
            stopped.wait(timeout=limit)
        finally:
            self.stop()

    def __enter__(self) -> Simulator:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._address()[1]

    @property
    def base_url(self) -> str:
        host, port = self._address()
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/v1"

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request answered so far, oldest first."""
        return self._log.snapshot()

    def clear_requests(self) -> None:
        self._log.clear()

    def add_batch(self, batch: dict) -> dict:
        """Insert a raw batch object, served verbatim, as the newest batch."""
        return self._store.add_raw_batch(batch)

    def batches(self) -> list[dict]:
        """Every batch as the API would show it now, newest first (not recorded as a request)."""
        return self._store.batches()

    def set_faults(self, faults: FaultConfig | None) -> None:
        self._dispatcher.faults = None if faults is None else FaultInjector(faults, self.config.seed)

    def _address(self) -> tuple[str, int]:
        if self._server is None:
            raise RuntimeError("the simulator is not running; call start() first")
        host, port = self._server.socket.getsockname()[:2]
        return host, port
