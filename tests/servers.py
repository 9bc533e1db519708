"""Helpers for tests that start a real server process on loopback (the chat, the Slack bot,
a Chroma server)."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(
    url: str, expected: bytes, process: subprocess.Popen[bytes], log: Path, timeout: float
) -> None:
    """Poll `url` until it answers `expected`; fail with the server's log if the process
    exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.read() == expected:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"the server at {url} did not start:\n{log.read_text()}")
        time.sleep(0.3)
