"""Several processes on one AGREEMENTS_HOME: writes serialized, long-lived readers kept current.

Real processes (the `agreements` CLI) and the real embedded Chroma folder. Before the lock
and the generation id (assistant/index/locking.py), a process that had its index open when
another ingested crashed on its next question ("Error finding id"), and two ingests at once
both said "added" and could leave vectors unfindable.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from assistant.facade import AgreementAssistant
from assistant.index.locking import IndexBusyError, IndexLock, IndexUse
from assistant.settings import Settings
from tests.conftest import REPO, SAMPLES

pytestmark = pytest.mark.e2e

AGREEMENTS = REPO / ".venv" / "bin" / "agreements"


def _cli(home: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(AGREEMENTS), *args],
        env=os.environ | {"AGREEMENTS_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def _finish(process: subprocess.Popen[str]) -> tuple[str, str]:
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    return out, err


def _unfindable(assistant: AgreementAssistant) -> int:
    """Live chunks a vector search for their own vector does not return first."""
    store = assistant.store
    versions = {r.version for r in store.records()}
    got = store._chunks.get(include=["embeddings", "metadatas"])
    missing = 0
    for chunk_id, vector, meta in zip(got["ids"], got["embeddings"], got["metadatas"], strict=True):
        if meta["version"] not in versions:
            continue
        hits = store._chunks.query(query_embeddings=[vector], n_results=1,
                                   where={"version": meta["version"]})  # fmt: skip
        missing += hits["ids"][0][:1] != [chunk_id]
    return missing


def test_an_open_process_sees_what_another_ingested_and_removed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    open_one = AgreementAssistant(Settings(home=home))  # the chat page or the bot, long-lived
    assert not open_one.ingest([SAMPLES / "tideline_subscription_agreement.md"]).failed
    assert open_one.ask("Who handles backups?").citations
    _finish(_cli(home, "ingest", str(SAMPLES / "lumenforge_platform_agreement.docx")))
    answer = open_one.ask("Who handles backups?", ["lumenforge_platform_agreement"])
    assert answer.citations and {c.agreement for c in answer.citations} == {
        "lumenforge_platform_agreement"
    }
    _finish(_cli(home, "remove", "tideline_subscription_agreement"))
    assert [a.name for a in open_one.agreements()] == ["lumenforge_platform_agreement"]
    assert open_one.ask("Who handles backups?").citations


def test_two_ingests_at_once_are_serialized_and_lose_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first, second = _cli(home, "ingest", str(SAMPLES)), _cli(home, "ingest", str(SAMPLES))
    (out1, err1), (out2, err2) = _finish(first), _finish(second)
    summaries = sorted(line for out in (out1, out2) for line in out.splitlines()
                       if line.startswith("3 file(s)"))  # fmt: skip
    # One wrote the three agreements; the other waited, then found them unchanged.
    assert summaries == ["3 file(s): 3 added", "3 file(s): 3 unchanged"], (out1, out2)
    assert "busy" in err1 + err2
    helper = AgreementAssistant(Settings(home=home))
    records = helper.store.records()
    assert len(records) == 3 and helper.store.count() == sum(r.chunk_count for r in records)
    assert _unfindable(helper) == 0


def test_a_busy_index_is_waited_for_then_refused_with_a_clear_error(tmp_path: Path) -> None:
    index = tmp_path / "chroma"
    holder, waiter = IndexLock(index), IndexLock(index, wait_seconds=0.5)
    with holder.writing():
        started = time.monotonic()
        with (
            pytest.raises(IndexBusyError, match="is busy: another process has been writing"),
            waiter.writing(),
        ):
            pass
        assert time.monotonic() - started >= 0.5
    with waiter.writing() as written:
        pass
    assert written.generation and waiter.generation() == written.generation


def test_a_reopening_waits_for_operations_inside_and_holds_new_ones() -> None:
    use, events = IndexUse(), []
    stale = [False]
    inside, release = threading.Event(), threading.Event()

    def long_question() -> None:
        with use.using(lambda: stale[0], lambda: events.append("reopen")):
            inside.set()
            release.wait(5)
            events.append("question done")

    worker = threading.Thread(target=long_question)
    worker.start()
    inside.wait(5)
    stale[0] = True

    def reopen() -> None:
        events.append("reopen")
        stale[0] = False

    opener = threading.Thread(target=lambda: use.using(lambda: stale[0], reopen).__enter__())
    opener.start()
    time.sleep(0.2)
    assert events == []  # the reopening waits for the question inside
    release.set()
    worker.join(5)
    opener.join(5)
    assert events == ["question done", "reopen"]
