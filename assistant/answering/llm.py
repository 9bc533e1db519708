"""The Answerer backed by a chat model, with the judge as its safety net and second opinion.

For each question the judge answers first (it is fast and needs no network), then the model
is shown the question and the passages under fresh opaque ids (llm_prompt.py) and replies
in JSON (llm_reply.py). Code, not the model, decides what is kept:

- a citation whose id was not given, or whose id belongs to another agreement, or whose
  quote is not verbatim in its passage, is dropped;
- an agreement's answer left with no verified citation, a malformed reply, a timeout or an
  error falls back to the judge's answer, and the answer says so (`fallback`);
- both verdicts are kept (`opinions`); when they differ the answer says so, quotes the
  judge's deciding sentence beside the model's, and its confidence drops to at most 0.5.

Confidence of a model-backed answer is the judge's: a chat model's own certainty is not
calibrated, the judge's probabilities are (eval reports them).
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.language_models.chat_models import BaseChatModel

from assistant.answering.llm_prompt import (
    PASSAGE_CHARS,
    PROMPT_PASSAGES,
    Prompt,
    build_prompt,
    reply_schema,
)
from assistant.answering.llm_reply import ReplyAnswer, ReplyError, drafted_text, parse_reply
from assistant.answering.protocol import AnswerContext, Answerer, TextSink
from assistant.answering.wording import answer_text, place
from assistant.questions.analysis import QuestionAnalysis
from assistant.questions.topics import get_topic, known_topics
from assistant.types import Answer, Citation, Opinion, RetrievedChunk, Verdict

logger = logging.getLogger(__name__)

# On disagreement the answer is shown as uncertain: neither reading is taken for granted.
DISAGREEMENT_CONFIDENCE = 0.5
_SIDE_WORDS = {
    Verdict.CUSTOMER: "the customer holds it",
    Verdict.PROVIDER: "the provider holds it",
    Verdict.SHARED: "both parties hold part of it",
    Verdict.NOT_ADDRESSED: "the agreement is silent on it",
}


class ModelUnavailable(Exception):
    """The model gave no complete reply: it timed out or failed. The message says which."""


@dataclass(frozen=True)
class Drafted:
    """One agreement's answer from the model, or why there is none."""

    answer: Answer | None
    reason: str | None
    verdict: Verdict | None


class LLMAnswerer:
    """Answers with a chat model; falls back to `judge` whenever the model's answer fails."""

    def __init__(
        self,
        model: BaseChatModel,
        judge: Answerer,
        model_name: str,
        timeout_seconds: float = 60.0,
        json_schema: bool = False,
        prompt_passages: int = PROMPT_PASSAGES,
        passage_chars: int = PASSAGE_CHARS,
    ) -> None:
        self._model = model
        self._judge = judge
        self._timeout = timeout_seconds
        self._json_schema = json_schema
        self._prompt_passages = prompt_passages
        self._passage_chars = passage_chars
        self.name = f"llm:{model_name}"

    def answer(
        self,
        question: QuestionAnalysis,
        passages: Sequence[RetrievedChunk],
        context: AnswerContext,
        on_text: TextSink | None = None,
    ) -> Answer:
        judged = self._judge.answer(question, passages, context)
        judged = _named(judged, self._judge.name)
        prompt = build_prompt(
            question.question, passages, context, self._prompt_passages, self._passage_chars
        )
        try:
            reply = parse_reply(self._complete(prompt, on_text))
        except (ReplyError, ModelUnavailable) as exc:
            logger.warning("model answer not used: %s", exc)
            return self._fall_back(judged, str(exc), None)
        titles = {a.name: a.title for a in context.agreements if a.title}
        judged_parts = _parts(judged, prompt.agreements)
        parts = []
        for name in prompt.agreements:
            entry = _entry_for(reply.answers, name, len(prompt.agreements))
            drafted = self._drafted(entry, name, prompt, question, titles)
            parts.append(self._settle(drafted, judged_parts[name], titles))
        if len(parts) == 1:
            return parts[0].model_copy(update={"agreements": context.names})
        return _overall(parts, judged, context, titles)

    # --- talking to the model --------------------------------------------------------------
    def _complete(self, prompt: Prompt, on_text: TextSink | None) -> str:
        """The whole reply, streamed; `on_text` sees the answer sentences as they grow.

        The model runs in a worker thread so that a server that never answers is abandoned
        at the deadline; `on_text` is called in the caller's thread (Streamlit needs that).
        """
        model = self._model
        if self._json_schema:
            schema = {"name": "answers", "schema": reply_schema(prompt), "strict": True}
            model = model.bind(response_format={"type": "json_schema", "json_schema": schema})  # type: ignore[assignment]
        pieces: queue.Queue[tuple[str, str | BaseException | None]] = queue.Queue()

        def run() -> None:
            try:
                for chunk in model.stream(prompt.messages):
                    pieces.put(("text", chunk.text))
                pieces.put(("done", None))
            except BaseException as exc:  # reported to the caller, who falls back
                pieces.put(("error", exc))

        started = time.monotonic()
        threading.Thread(target=run, name="llm-answer", daemon=True).start()
        deadline = started + self._timeout
        text, shown = "", ""
        while True:
            remaining = deadline - time.monotonic()
            try:
                kind, value = pieces.get(timeout=remaining) if remaining > 0 else ("", None)
            except queue.Empty:
                kind, value = "", None
            if kind == "":
                raise ModelUnavailable(f"the model did not finish within {self._timeout:g} s")
            if kind == "error":
                raise ModelUnavailable(f"the model failed ({type(value).__name__})")
            if kind == "done":
                break
            text += str(value)
            if on_text is not None:
                drafted = drafted_text(text)
                if drafted and drafted != shown:
                    shown = drafted
                    on_text(drafted)
        elapsed = time.monotonic() - started
        logger.info("model replied in %.1f s (%d characters)", elapsed, len(text))
        logger.debug("model reply: %s", text)
        return text

    # --- checking what it said -------------------------------------------------------------
    def _drafted(
        self,
        entry: ReplyAnswer | None,
        name: str,
        prompt: Prompt,
        question: QuestionAnalysis,
        titles: dict[str, str],
    ) -> Drafted:
        if entry is None:
            return Drafted(None, "the model's reply did not answer for this agreement", None)
        citations: list[Citation] = []
        for cited in entry.citations:
            shown = prompt.passages.get(cited.id.strip())
            if shown is None or shown.passage.chunk.agreement != name:
                continue  # an id it was not given, or another agreement's passage
            found = locate_quote(shown.passage, cited.quote, shown.text)
            if found is not None and all(c.char_start != found.char_start for c in citations):
                citations.append(found)
        dropped = len(entry.citations) - len(citations)
        if dropped:
            logger.info("dropped %d of %d model citations (unknown id or not verbatim)",
                        dropped, len(entry.citations))  # fmt: skip
        if not citations:
            return Drafted(None, "the model's answer had no verified citation", entry.verdict)
        known = known_topics(question.topics)
        text = " ".join(entry.answer.split())
        if not text:
            label = get_topic(known[0]).label if known else "this matter"
            text = answer_text(entry.verdict, label, [], None, citations, titles, [name])
        answer = Answer(
            question=question.question,
            verdict=entry.verdict,
            answer=text,
            confidence=0.0,  # set from the judge in _settle
            citations=citations,
            topic=known[0] if known else None,
            agreements=[name],
            answerer=self.name,
        )
        return Drafted(answer, None, entry.verdict)

    def _settle(self, drafted: Drafted, judged: Answer, titles: dict[str, str]) -> Answer:
        """One agreement's answer: the model's when it stands, with the judge beside it."""
        if drafted.answer is None:
            return self._fall_back(judged, drafted.reason or "", drafted.verdict)
        model = drafted.answer
        opinions = [
            Opinion(answerer=self.name, verdict=model.verdict, citations=model.citations),
            Opinion(answerer=judged.answerer, verdict=judged.verdict, citations=judged.citations),
        ]
        update: dict[str, object] = {
            "opinions": opinions,
            "retrieved": judged.retrieved,
            "topic": model.topic or judged.topic,
            "confidence": judged.confidence,
        }
        if model.verdict is not judged.verdict:
            extra = [
                c for c in judged.citations[:2]
                if all(c.chunk_id != m.chunk_id or c.char_start != m.char_start
                       for m in model.citations)
            ]  # fmt: skip
            update["answer"] = model.answer + _disagreement(judged, titles)
            update["citations"] = model.citations + extra
            update["confidence"] = round(min(DISAGREEMENT_CONFIDENCE, 1 - judged.confidence), 3)
        return model.model_copy(update=update)

    def _fall_back(self, judged: Answer, reason: str, verdict: Verdict | None) -> Answer:
        opinions = [
            Opinion(answerer=self.name, verdict=verdict),
            Opinion(answerer=judged.answerer, verdict=judged.verdict, citations=judged.citations),
        ]
        parts = [self._fall_back(p, reason, None) for p in judged.by_agreement]
        return judged.model_copy(
            update={"fallback": reason, "opinions": opinions, "by_agreement": parts}
        )


def locate_quote(passage: RetrievedChunk, quote: str, shown: str) -> Citation | None:
    """The citation of `quote` when it is verbatim (up to spacing) in the part of the passage
    the model was shown; None otherwise."""
    words = quote.split()
    if len(words) < 3:
        return None  # a word or two "verbatim" proves nothing
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.search(pattern, shown)
    if match is None:
        return None
    chunk = passage.chunk
    return Citation(
        agreement=chunk.agreement,
        section=chunk.section,
        page=chunk.page_start,
        quote=" ".join(shown[match.start() : match.end()].split()),
        chunk_id=chunk.id,
        char_start=chunk.start + match.start(),
        char_end=chunk.start + match.end(),
        heading=chunk.heading_path[-1] if chunk.heading_path else None,
    )


def _named(answer: Answer, name: str) -> Answer:
    parts = [_named(p, name) for p in answer.by_agreement]
    return answer.model_copy(update={"answerer": name, "by_agreement": parts})


def _parts(judged: Answer, names: list[str]) -> dict[str, Answer]:
    """The judge's answer for each agreement the model was asked about."""
    if len(names) == 1:
        return {names[0]: judged}
    by_name = {p.agreements[0]: p for p in judged.by_agreement if p.agreements}
    return {name: by_name.get(name, judged) for name in names}


def _entry_for(entries: list[ReplyAnswer], name: str, asked: int) -> ReplyAnswer | None:
    named = next((e for e in entries if e.agreement.strip() == name), None)
    if named is None and asked == 1:
        return entries[0]  # one agreement asked about: its name need not be repeated exactly
    return named


def _disagreement(judged: Answer, titles: dict[str, str]) -> str:
    said = f" The {judged.answerer} judge reads it differently: {_SIDE_WORDS[judged.verdict]}"
    if not judged.citations:
        return said + "."
    first = judged.citations[0]
    return said + f' ({place(first.agreement, first.section, titles)}: "{first.quote}").'


def _overall(
    parts: list[Answer], judged: Answer, context: AnswerContext, titles: dict[str, str]
) -> Answer:
    """Over several agreements: the most common verdict, each agreement's sentence."""
    verdict = Counter(p.verdict for p in parts).most_common(1)[0][0]
    fallbacks = {p.fallback for p in parts}
    text = " ".join(f"{titles.get(p.agreements[0], p.agreements[0])}: {p.answer}" for p in parts)
    return judged.model_copy(
        update={
            "verdict": verdict,
            "answer": text,
            "confidence": min(p.confidence for p in parts),
            "citations": [c for p in parts for c in p.citations],
            "agreements": context.names,
            "by_agreement": parts,
            "answerer": next((p.answerer for p in parts if p.fallback is None), judged.answerer),
            "fallback": next(iter(fallbacks)) if len(fallbacks) == 1 else None,
            "opinions": [],
        }
    )
