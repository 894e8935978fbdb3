"""What the tests need from the machine: skip locally when it is missing, fail in CI.

CI (``CI=true bash .ci/run``) installs every component the tests use (Java, Debian's
Chromium, jemalloc, the web assets) and lays ``shared/`` beside the clone, so a missing
one there is a broken install, not a reason to skip: a green run must not hide it.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

IN_CI = bool(os.environ.get("CI"))


def unavailable(reason: str) -> NoReturn:
    """Skip the test for a missing component, or fail it when running in CI."""
    if IN_CI:
        pytest.fail(f"CI must provide this, and it is missing: {reason}", pytrace=False)
    pytest.skip(reason)


class Canary:
    """A TCP listener on loopback that counts the connections it accepts.

    Whatever is sent over a connection does not matter: a connection at all means the
    code under test reached the network. Close it with :meth:`close`.
    """

    def __init__(self) -> None:
        import socket
        import threading

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.port = int(self.sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}/"
        self.connections = 0
        self._running = True
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while self._running:
            try:
                conn, _ = self.sock.accept()
            except OSError:  # the accept timed out, or the socket was closed
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._running = False
        self._thread.join(timeout=2)
        self.sock.close()
