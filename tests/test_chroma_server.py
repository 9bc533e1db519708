"""Server mode against a real `chroma run` on loopback: two assistants share one index."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.facade import AgreementAssistant
from assistant.settings import Settings, StoreSettings
from tests.servers import free_port

AGREEMENT = """# Server Test Terms

This agreement is between Relay Cloud Ltd ("Provider") and the customer ("Customer").

## 1. Backups
1.1 Customer is solely responsible for keeping backups of Customer Data.
"""


@pytest.fixture()
def chroma_server(tmp_path: Path) -> Iterator[int]:
    exe = Path(sys.executable).with_name("chroma")
    if not exe.exists() and shutil.which("chroma") is None:
        pytest.skip("the chroma command is not installed")
    port = free_port()
    server = subprocess.Popen(
        [
            str(exe if exe.exists() else "chroma"),
            "run",
            "--path",
            str(tmp_path / "srv"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("chroma run did not come up on loopback")
                time.sleep(0.5)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_two_front_ends_share_one_server_index(chroma_server: int, tmp_path: Path) -> None:
    def assistant(home: str) -> AgreementAssistant:
        store = StoreSettings(host="127.0.0.1", port=chroma_server)
        return AgreementAssistant(Settings(home=tmp_path / home, store=store))

    path = tmp_path / "relay.md"
    path.write_text(AGREEMENT, encoding="utf-8")
    writer, reader = assistant("writer"), assistant("reader")
    assert not writer.ingest([path]).failed
    assert not (tmp_path / "writer" / "chroma").exists()  # nothing written locally
    assert [r.name for r in reader.agreements()] == ["relay"]
    answer = reader.ask("Who handles backups?", ["relay"])
    assert answer.verdict.value == "customer"
    assert "solely responsible for keeping backups" in answer.citations[0].quote
