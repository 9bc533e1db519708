"""Chats kept as one JSON file each under AGREEMENTS_HOME/conversations.

Files are replaced atomically (written beside, then renamed), so a crash mid-save leaves the
previous version, never half a file; a damaged file is skipped with a warning, not fatal to
the list. Answers are kept with the passages they cite only: enough to show the whole clause
again, without storing every retrieved passage of every turn.
"""

from __future__ import annotations

import logging
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from assistant.atomic_files import write_atomically
from assistant.errors import AgreementsError
from assistant.types import Answer, Conversation, Turn

logger = logging.getLogger(__name__)

_ID = re.compile(r"^[0-9a-f]{32}$")
_TITLE_LENGTH = 60


class ConversationStore:
    """List, load, save and delete conversations in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def new(self) -> Conversation:
        now = datetime.now(UTC)
        return Conversation(id=uuid.uuid4().hex, created_at=now, updated_at=now)

    def open(self, conversation_id: str) -> Conversation:
        """The conversation with this id, or a new one under it (a Slack thread's)."""
        if self._path(conversation_id).is_file():
            return self.get(conversation_id)
        now = datetime.now(UTC)
        return Conversation(id=conversation_id, created_at=now, updated_at=now)

    def list(self) -> list[Conversation]:
        """Every readable conversation, the most recently used first."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.glob("*.json"):
            try:
                found.append(Conversation.model_validate_json(path.read_bytes()))
            except (OSError, ValidationError) as exc:
                logger.warning("conversation file %s cannot be read (%s); skipped", path, exc)
        return sorted(found, key=lambda c: c.updated_at, reverse=True)

    def get(self, conversation_id: str) -> Conversation:
        path = self._path(conversation_id)
        try:
            return Conversation.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            raise AgreementsError(f"no conversation {conversation_id}") from None
        except (OSError, ValidationError) as exc:
            raise AgreementsError(f"conversation file {path} cannot be read: {exc}") from exc

    def add_turn(self, conversation: Conversation, turn: Turn) -> Conversation:
        """The conversation with `turn` appended, saved."""
        if turn.answer is not None:
            turn = turn.model_copy(update={"answer": compact_answer(turn.answer)})
        title = conversation.title
        if not conversation.turns:
            title = _title(turn.question)
        updated = conversation.model_copy(
            update={"turns": [*conversation.turns, turn], "title": title, "updated_at": turn.at}
        )
        self.save(updated)
        return updated

    def save(self, conversation: Conversation) -> None:
        write_atomically(self._path(conversation.id), conversation.model_dump_json())

    def delete(self, conversation_id: str) -> None:
        self._path(conversation_id).unlink(missing_ok=True)

    def _path(self, conversation_id: str) -> Path:
        # Ids come back from the page: never let one name a file outside the folder.
        if not _ID.match(conversation_id):
            raise AgreementsError(f"not a conversation id: {conversation_id!r}")
        return self.folder / f"{conversation_id}.json"


def compact_answer(answer: Answer) -> Answer:
    """The answer with only the passages its citations (and its parts' citations) quote."""
    cited = {c.chunk_id for c in answer.citations}
    for part in answer.by_agreement:
        cited.update(c.chunk_id for c in part.citations)
    return answer.model_copy(
        update={
            "retrieved": [p for p in answer.retrieved if p.chunk.id in cited],
            "by_agreement": [
                part.model_copy(update={"retrieved": []}) for part in answer.by_agreement
            ],
        }
    )


def _title(question: str) -> str:
    text = " ".join(question.split())
    return text if len(text) <= _TITLE_LENGTH else text[: _TITLE_LENGTH - 1].rstrip() + "…"
