"""The learned judge: heads trained on labeled sentences and questions decide, rules only read.

For each retrieved sentence it estimates what the sentence allocates (customer, provider,
both, nothing) and how far it decides the question asked; the verdict head then reads the
most relevant sentences' allocations and whom the question is put to, and answers one of
customer, provider, shared or "not addressed", with its probability as the confidence. The
rules still do what they do exactly (the agreement's names for its parties, obligation
language as a feature, the question's topic words); the weights come from
`python -m eval.train_judge` and live in `judge.npz`.

The answerer does not know the embedding model: it is handed an `encode` callable, so the
answering layer never imports the index.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from assistant.answering.candidates import Candidate, candidates
from assistant.answering.judge_features import (
    QuestionSide,
    SentenceReadings,
    pair_features,
    question_features,
    question_side,
    read_sentences,
    rule_vectors,
)
from assistant.answering.judge_model import KINDS, TARGETS, VERDICTS, JudgeModel
from assistant.answering.protocol import AnswerContext, TextSink
from assistant.answering.quoting import citation
from assistant.answering.wording import answer_text
from assistant.questions.analysis import QuestionAnalysis
from assistant.questions.topics import get_topic, known_topics
from assistant.types import Answer, Citation, RetrievedChunk, Verdict
from ingest.types import PartyAliases

Encode = Callable[[list[str]], NDArray[np.float32]]

# Sentence vectors are kept between questions: the same clauses come back for most questions
# about one agreement, and embedding them is most of the judge's time.
_CACHE_SIZE = 50_000
# With nothing cited, the verdict's words could not be checked: "not addressed" instead.
_NOTHING_CITED = Verdict.NOT_ADDRESSED


class LearnedAnswerer:
    """The `Answerer` whose decisions are learned from the labeled sets (eval/labeled)."""

    name = "learned"

    def __init__(self, encode: Encode, model: JudgeModel | None = None) -> None:
        self._encode = encode
        self.model = model or JudgeModel.load()
        self._cache: OrderedDict[tuple[str, str], NDArray[np.float32]] = OrderedDict()
        self._lock = threading.Lock()

    def answer(
        self,
        question: QuestionAnalysis,
        passages: Sequence[RetrievedChunk],
        context: AnswerContext,
        on_text: TextSink | None = None,
    ) -> Answer:
        retrieved = list(passages)
        aliases = context.parties
        titles = {a.name: a.title for a in context.agreements if a.title}
        side = self._question_side(question, retrieved, aliases)
        found = candidates(retrieved, aliases)
        readings = self._read(found, aliases)
        rel = self._relevance(side, found, readings)
        overall = self._decide(question, side, retrieved, found, readings, rel, titles)
        by_agreement: list[Answer] = []
        if len(_names(retrieved)) > 1:
            # Agreements differ: each gets its own verdict from its own sentences.
            for name in _ordered_names(retrieved):
                idx = [i for i, c in enumerate(found) if c.passage.chunk.agreement == name]
                sub = _subset(readings, idx)
                passages_of = [rc for rc in retrieved if rc.chunk.agreement == name]
                answer = self._decide(
                    question,
                    side,
                    passages_of,
                    [found[i] for i in idx],
                    sub,
                    rel[idx],
                    titles,
                )
                by_agreement.append(answer.model_copy(update={"agreements": [name]}))
        return overall.model_copy(
            update={"agreements": context.names, "by_agreement": by_agreement}
        )

    # --- the steps ----------------------------------------------------------------------
    def _question_side(
        self,
        question: QuestionAnalysis,
        retrieved: list[RetrievedChunk],
        aliases: dict[str, PartyAliases],
    ) -> QuestionSide:
        vector = np.asarray(self._vectors([("", question.question)])[0], dtype=np.float64)
        in_scope = [aliases[n] for n in _names(retrieved) if n in aliases]
        topic_probs = self.model.question_topics(vector[None, :])[0]
        return question_side(question, vector, topic_probs, in_scope)

    def _read(self, found: list[Candidate], aliases: dict[str, PartyAliases]) -> SentenceReadings:
        vectors = self._vectors([(c.passage.chunk.id, c.normalised) for c in found])
        return read_sentences(self.model, vectors, rule_vectors(found, aliases))

    def _relevance(
        self, side: QuestionSide, found: list[Candidate], readings: SentenceReadings
    ) -> NDArray[np.float64]:
        if not found:
            return np.zeros(0)
        features = pair_features(side, found, readings, self.model.topic_ids)
        probs: NDArray[np.float64] = self.model.relevance(features)[:, 0]
        return probs

    def _decide(
        self,
        question: QuestionAnalysis,
        side: QuestionSide,
        retrieved: list[RetrievedChunk],
        found: list[Candidate],
        readings: SentenceReadings,
        rel: NDArray[np.float64],
        titles: dict[str, str],
    ) -> Answer:
        features = question_features(side, rel, readings, self.model.top_k)
        probs = self.model.verdict(features[None, :])[0]
        verdict = Verdict(VERDICTS[int(np.argmax(probs))])
        confidence = float(probs.max())
        order = [int(i) for i in np.argsort(-rel, kind="stable")]
        chosen = self._cited(verdict, order, readings, rel)
        if verdict is not Verdict.NOT_ADDRESSED and not chosen:
            verdict = _NOTHING_CITED
        if verdict is Verdict.NOT_ADDRESSED:
            # The nearest sentences, for the reader to judge the silence.
            chosen = [(i, Verdict.NOT_ADDRESSED) for i in order[:2]]
        citations: list[Citation] = [
            citation(found[i].passage, found[i].span, None) for i, _ in chosen
        ]
        sides = [s for _, s in chosen]
        kind = KINDS[int(np.argmax(readings.kind[chosen[0][0]]))] if chosen else None
        known = known_topics(question.topics)
        label = get_topic(known[0]).label if known else "this matter"
        agreements = _ordered_names(retrieved)
        text = answer_text(verdict, label, sides, kind, citations, titles, agreements)
        return Answer(
            question=question.question,
            verdict=verdict,
            answer=text,
            confidence=round(confidence, 3),
            citations=citations,
            topic=known[0] if known else None,
            agreements=agreements,
            retrieved=_reranked(retrieved, found, rel),
        )

    def _cited(
        self,
        verdict: Verdict,
        order: list[int],
        readings: SentenceReadings,
        rel: NDArray[np.float64],
    ) -> list[tuple[int, Verdict]]:
        """The sentences showing the verdict, most relevant first: the best one supporting it,
        then any other supporting one above the citation threshold (for "shared", a sentence
        of either side or a mutual one supports it)."""
        if verdict is Verdict.NOT_ADDRESSED:
            return []
        supports = {
            Verdict.CUSTOMER: {"customer"},
            Verdict.PROVIDER: {"provider"},
            Verdict.SHARED: {"customer", "provider", "shared"},
        }[verdict]
        picked: list[tuple[int, Verdict]] = []
        for i in order:
            target = TARGETS[int(np.argmax(readings.target[i, :3]))]
            if target not in supports:
                continue
            if picked and rel[i] < self.model.cite_threshold:
                break
            picked.append((i, Verdict(target)))
            if len(picked) >= self.model.max_citations:
                break
        return picked

    def _vectors(self, keyed: list[tuple[str, str]]) -> NDArray[np.float32]:
        """Embeddings of the texts, from the cache where the same text was embedded before."""
        with self._lock:
            missing = [k for k in dict.fromkeys(keyed) if k not in self._cache]
        fresh = self._encode([text for _, text in missing]) if missing else None
        with self._lock:
            if fresh is not None:
                for k, v in zip(missing, fresh, strict=True):
                    self._cache[k] = v
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
            out = [self._cache.get(k) for k in keyed]
        if any(v is None for v in out):  # evicted by another thread meanwhile
            return self._encode([text for _, text in keyed])
        return np.array(out, dtype=np.float32).reshape(len(keyed), -1)


def _reranked(
    retrieved: list[RetrievedChunk], found: list[Candidate], rel: NDArray[np.float64]
) -> list[RetrievedChunk]:
    """Passages in order of their most relevant sentence: the second pass inside the top
    passages. Passages without a sentence keep their place after those with one."""
    best: dict[str, float] = {}
    for c, r in zip(found, rel, strict=True):
        best[c.passage.chunk.id] = max(best.get(c.passage.chunk.id, 0.0), float(r))
    keyed = sorted(enumerate(retrieved), key=lambda ir: (-best.get(ir[1].chunk.id, -1.0), ir[0]))
    return [rc for _, rc in keyed]


def _subset(readings: SentenceReadings, idx: list[int]) -> SentenceReadings:
    return SentenceReadings(
        vectors=readings.vectors[idx],
        target=readings.target[idx],
        kind=readings.kind[idx],
        topics=readings.topics[idx],
        decides=readings.decides[idx],
    )


def _names(retrieved: list[RetrievedChunk]) -> set[str]:
    return {rc.chunk.agreement for rc in retrieved}


def _ordered_names(retrieved: list[RetrievedChunk]) -> list[str]:
    return list(dict.fromkeys(rc.chunk.agreement for rc in retrieved))
