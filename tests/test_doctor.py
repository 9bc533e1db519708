"""Faults that reach the index, found and mended: `agreements doctor [--deep] [--repair]`.

Real processes and the real Chroma folder. A kill -9 is a real SIGKILL, sent by the ingesting
process to itself at the one moment that leaves orphans: after its chunks are written and
before its record switches to them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from assistant.facade import AgreementAssistant
from assistant.settings import Settings
from tests.conftest import REPO, SAMPLES

pytestmark = pytest.mark.e2e

TIDELINE = SAMPLES / "tideline_subscription_agreement.md"
LUMENFORGE = SAMPLES / "lumenforge_platform_agreement.docx"
AGREEMENTS = REPO / ".venv" / "bin" / "agreements"

_KILLED_AT_THE_RECORD = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from chromadb.api.models.Collection import Collection
    from assistant.facade import AgreementAssistant

    upsert = Collection.upsert
    def upsert_or_die(self, *args, **kwargs):
        if self.name.startswith("agreements-"):  # the registry: the chunks are all written
            os.kill(os.getpid(), signal.SIGKILL)
        return upsert(self, *args, **kwargs)
    Collection.upsert = upsert_or_die
    AgreementAssistant().ingest([Path(sys.argv[1])])
""")


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(AGREEMENTS), *args], capture_output=True, text=True, timeout=600,
                          env=os.environ | {"AGREEMENTS_HOME": str(home)}, cwd=REPO)  # fmt: skip


def _kill_mid_write(home: Path, path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", _KILLED_AT_THE_RECORD, str(path)],
                          env=os.environ | {"AGREEMENTS_HOME": str(home)}, cwd=REPO,
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == -9, done.stderr


def test_a_kill_mid_write_leaves_orphans_doctor_counts_and_remove_or_ingest_clear(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    assert _cli(home, "ingest", str(TIDELINE)).returncode == 0
    _kill_mid_write(home, LUMENFORGE)
    assert "lumenforge" not in _cli(home, "list").stdout  # the write never landed
    found = _cli(home, "doctor")
    assert found.returncode == 1 and "left by an interrupted write" in found.stderr
    removed = _cli(home, "remove", "lumenforge_platform_agreement")  # was: "no agreement named"
    assert removed.returncode == 0, removed.stderr
    assert _cli(home, "doctor").returncode == 0

    _kill_mid_write(home, LUMENFORGE)
    again = _cli(home, "ingest", str(LUMENFORGE))  # the next ingest drops what was left
    assert again.returncode == 0 and "1 added" in again.stdout, again.stderr
    healthy = _cli(home, "doctor", "--deep")
    assert healthy.returncode == 0 and "the index is healthy" in healthy.stdout, healthy.stderr
    clean = AgreementAssistant(Settings(home=tmp_path / "clean"))
    clean.ingest([TIDELINE, LUMENFORGE])
    assert AgreementAssistant(Settings(home=home)).store.count() == clean.store.count()


def test_a_damaged_agreement_is_read_again_from_its_kept_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assistant = AgreementAssistant(Settings(home=home))
    assistant.ingest([TIDELINE])
    expected = assistant.store.count()
    some = assistant.store._chunks.get(limit=5, include=[])["ids"]
    assistant.store._chunks.delete(ids=some)
    found = _cli(home, "doctor")
    assert found.returncode == 1 and "stored chunks differ from its record" in found.stderr
    mended = _cli(home, "doctor", "--repair")
    assert mended.returncode == 0, mended.stdout + mended.stderr
    assert "read again from" in mended.stdout
    assert AgreementAssistant(Settings(home=home)).store.count() == expected


def test_an_unreadable_index_is_rebuilt_from_the_kept_files(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _cli(home, "ingest", str(TIDELINE), str(LUMENFORGE)).returncode == 0
    database = home / "chroma" / "chroma.sqlite3"
    database.write_bytes(b"this is not a database" * 100)
    found = _cli(home, "doctor")
    assert found.returncode == 1 and "the index cannot be read" in found.stderr
    mended = _cli(home, "doctor", "--repair")
    assert mended.returncode == 0, mended.stdout + mended.stderr
    assert "moved the unreadable index to" in mended.stdout
    listed = _cli(home, "list").stdout
    assert "tideline_subscription_agreement" in listed and "lumenforge_platform_agreement" in listed
    asked = _cli(home, "ask", "Who handles backups?", "-a", "tideline_subscription_agreement")
    assert asked.returncode == 0 and "§" in asked.stdout
