"""A chat model's reply: parsed into a checked shape, or rejected with the reason why.

Models wrap JSON in code fences, add a sentence before it, or stop half-way; the parser takes
the first complete JSON object in the text and validates it. While the reply streams in, the
answer sentences written so far are read out of the partial JSON for the chat to show.
"""

from __future__ import annotations

import contextlib
import json
import re

from pydantic import BaseModel, Field, ValidationError, field_validator

from assistant.types import Verdict

_VERDICTS = {
    "customer": Verdict.CUSTOMER,
    "provider": Verdict.PROVIDER,
    "shared": Verdict.SHARED,
    "silent": Verdict.NOT_ADDRESSED,
    "not_addressed": Verdict.NOT_ADDRESSED,
    "not addressed": Verdict.NOT_ADDRESSED,
    "none": Verdict.NOT_ADDRESSED,
}


class ReplyError(ValueError):
    """The reply cannot be used; the message says why, without quoting it."""


class ReplyCitation(BaseModel):
    id: str
    quote: str


class ReplyAnswer(BaseModel):
    agreement: str = ""
    verdict: Verdict
    answer: str = ""
    citations: list[ReplyCitation] = Field(default_factory=list)

    @field_validator("verdict", mode="before")
    @classmethod
    def _verdict_word(cls, value: object) -> Verdict:
        word = str(value).strip().lower()
        if word not in _VERDICTS:
            raise ValueError(f"unknown verdict {word[:20]!r}")
        return _VERDICTS[word]


class ModelReply(BaseModel):
    answers: list[ReplyAnswer]


def parse_reply(text: str) -> ModelReply:
    """The reply in `text`, or ReplyError naming what is wrong with it."""
    obj = _first_json_object(text)
    if obj is None:
        raise ReplyError("the model's reply held no JSON object")
    if isinstance(obj, dict) and "answers" not in obj and "verdict" in obj:
        obj = {"answers": [obj]}  # one agreement, answered without the list around it
    try:
        reply = ModelReply.model_validate(obj)
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors()[:3])
        raise ReplyError(f"the model's reply did not have the answer's shape ({fields})") from None
    if not reply.answers:
        raise ReplyError("the model's reply gave no answer")
    return reply


_ANSWER_FIELD = re.compile(r'"answer"\s*:\s*"')


def drafted_text(partial: str) -> str:
    """The answer sentences found so far in a reply still streaming in (one per line)."""
    sentences = []
    for match in _ANSWER_FIELD.finditer(partial):
        value, _ = _json_string_prefix(partial, match.end())
        if value:
            sentences.append(value)
    return "\n".join(sentences)


def _first_json_object(text: str) -> object | None:
    decoder = json.JSONDecoder()
    for match in re.finditer(r"\{", text):
        try:
            obj, _ = decoder.raw_decode(text, match.start())
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict):
            return obj
    return None


def _json_string_prefix(text: str, start: int) -> tuple[str, bool]:
    """The JSON string starting at `start` (after its opening quote), decoded as far as it
    goes, and whether it was closed."""
    out: list[str] = []
    i = start
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "/": "/", "r": "", "b": "", "f": ""}
    while i < len(text):
        ch = text[i]
        if ch == '"':
            return "".join(out), True
        if ch == "\\":
            if i + 1 >= len(text):
                break
            nxt = text[i + 1]
            if nxt == "u":
                if i + 6 > len(text):
                    break
                with contextlib.suppress(ValueError):  # a bad escape is skipped
                    out.append(chr(int(text[i + 2 : i + 6], 16)))
                i += 6
                continue
            out.append(escapes.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out), False
