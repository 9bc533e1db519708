"""One writer at a time per index across processes, and word to other processes that it changed.

Chroma's embedded folder is not safe for two writers: two `agreements ingest` at once on one
home left a sixth of the vectors unfindable and the next compaction failing. It is not safe
for a reader that outlives a write either: an embedded client keeps the index in memory, and
after another process wrote, its reads fail ("Error finding id") or miss the new chunks.

So every write (an ingest batch, a remove) holds an exclusive lock file beside the index
(`filelock`: an fcntl lock on Unix, released by the kernel when the process dies, kill -9
included), and on finishing writes a new generation id beside it. A process whose client was
opened under an older generation closes and reopens it before its next operation
(`IndexUse`, in the facade), so the chat page and the Slack bot see what the CLI ingested.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from assistant.atomic_files import write_atomically
from assistant.errors import StoreError

logger = logging.getLogger(__name__)


class IndexBusyError(StoreError):
    """Another process kept the index locked for longer than we were willing to wait."""


@dataclass
class Written:
    """Filled in when a write finishes: the generation it left the index at."""

    generation: str = ""


class IndexLock:
    """The write lock and generation id of one index (files `<name>.lock`, `<name>.generation`
    beside its folder)."""

    def __init__(self, index: Path, wait_seconds: float = 600.0) -> None:
        self._where = index
        self._lock = FileLock(index.with_name(index.name + ".lock"), thread_local=False)
        self._generation_file = index.with_name(index.name + ".generation")
        self._wait = wait_seconds

    def generation(self) -> str:
        """The id of the index's last finished write ("" before the first)."""
        try:
            return self._generation_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return ""

    @contextmanager
    def writing(self) -> Iterator[Written]:
        """Hold the index for one write; waits (saying so) while another process holds it."""
        self._where.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            logger.warning(
                "the index at %s is busy: another process is writing to it; waiting (up to %g s)",
                self._where, self._wait,
            )  # fmt: skip
            started = time.monotonic()
            try:
                self._lock.acquire(timeout=self._wait)
            except Timeout:
                raise IndexBusyError(
                    f"the index at {self._where} is busy: another process has been writing to "
                    f"it for over {self._wait:g} s; try again when it has finished"
                ) from None
            waited = time.monotonic() - started
            logger.warning("the index is free again after %.0f s; writing", waited)
        written = Written()
        try:
            yield written
        finally:
            # Bumped even after a failed write: part of it may have reached the index.
            written.generation = uuid.uuid4().hex
            try:
                write_atomically(self._generation_file, written.generation)
            finally:
                self._lock.release()


class IndexUse:
    """Operations of one process on its open index, and the rare reopening of it.

    Many threads (the chat's sessions, the bot's listeners) may use the client at once; closing
    it under one of them would break its query, so a reopening waits until none is inside and
    holds new ones back meanwhile. An operation nested in another (an ask inside a
    conversation's turn) never reopens.
    """

    def __init__(self) -> None:
        self._inside = 0
        self._condition = threading.Condition()
        self._depth = threading.local()

    @contextmanager
    def using(self, stale: Callable[[], bool], reopen: Callable[[], None]) -> Iterator[None]:
        """Inside one operation; first, when the open index is `stale`, `reopen` it."""
        depth = getattr(self._depth, "value", 0)
        with self._condition:
            if depth == 0 and stale():
                self._condition.wait_for(lambda: self._inside == 0)
                if stale():
                    reopen()
            self._inside += 1
        self._depth.value = depth + 1
        try:
            yield
        finally:
            self._depth.value = depth
            with self._condition:
                self._inside -= 1
                self._condition.notify_all()
