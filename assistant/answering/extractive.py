"""The extractive judge: which party holds the duty asked about, and the sentences showing it.

No language model is involved, so the same question over the same passages always gets the same
answer. The decision weighs obligation language (who must, must not, may, disclaims) in the
retrieved sentences that are about the question's topic, favouring better-ranked passages, and
abstains ("not addressed") when nothing on the topic allocates a duty: a passing mention of the
topic is not an allocation. Its numbers live in `weights.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from assistant.answering.evidence import collect, pick
from assistant.answering.protocol import AnswerContext, TextSink
from assistant.answering.quoting import citation
from assistant.answering.relevance import content_words
from assistant.answering.verdict import decide_verdict
from assistant.answering.weights import WEIGHTS as W
from assistant.answering.wording import answer_text
from assistant.questions.analysis import QuestionAnalysis
from assistant.questions.parties import is_rights_question, party_asked
from assistant.questions.topics import get_topic, known_topics
from assistant.types import Answer, RetrievedChunk, Verdict
from ingest.parties import provider_names
from ingest.types import PartyAliases

logger = logging.getLogger(__name__)


class ExtractiveAnswerer:
    """The `Answerer` that needs no model: rules over the retrieved sentences."""

    name = "extractive"

    def answer(
        self,
        question: QuestionAnalysis,
        passages: Sequence[RetrievedChunk],
        context: AnswerContext,
        on_text: TextSink | None = None,
    ) -> Answer:
        retrieved = list(passages)
        aliases = context.parties
        overall = decide(question.question, question.topics, retrieved, aliases)
        groups = _group_by_agreement(retrieved)
        # Agreements differ (one puts backups on the customer, another is silent): with
        # passages from several, each gets its own answer from its own passages.
        by_agreement = (
            [
                decide(question.question, question.topics, group, aliases).model_copy(
                    update={"agreements": [name]}
                )
                for name, group in groups.items()
            ]
            if len(groups) > 1
            else []
        )
        return overall.model_copy(
            update={"agreements": context.names, "by_agreement": by_agreement}
        )


def decide(
    question: str,
    topics: list[str],
    retrieved: list[RetrievedChunk],
    aliases: dict[str, PartyAliases],
    titles: dict[str, str] | None = None,
) -> Answer:
    """Answer who holds the duty the question asks about, quoting the deciding sentences.

    `retrieved` is best first; `aliases` is keyed by agreement name. A question that singles
    out one party is still answered with the party that holds the duty, never "shared".
    """
    titles = titles or {}
    known = known_topics(topics)
    qwords = content_words(question)
    rights_q = is_rights_question(question)
    asked = party_asked(question, provider_names(_of_retrieved(aliases, retrieved).values()))
    evidence, topical = collect(retrieved, known, aliases, qwords, rights_q)

    scores = dict.fromkeys(Verdict, 0.0)
    for e in evidence:
        scores[e.target] += e.weight
    verdict, confidence = decide_verdict(scores, asked)
    logger.debug("scores %s asked=%s rights=%s -> %s", scores, asked, rights_q, verdict)

    allocated = verdict is not Verdict.NOT_ADDRESSED
    picked = pick(evidence, verdict)[: W.max_citations] if allocated else []
    if picked:
        citations = [citation(e.chunk, e.span, e.obligation) for e in picked]
    else:
        closest = sorted(topical, key=lambda t: (-t.weight, t.rank))[: W.max_citations]
        citations = [citation(t.chunk, t.span, None) for t in closest]
        if not topical:
            confidence = W.nothing_topical_confidence
    agreements = list(dict.fromkeys(rc.chunk.agreement for rc in retrieved))
    label = get_topic(known[0]).label if known else "this matter"
    sides = [e.target for e in picked]
    kind = picked[0].obligation.kind if picked else None
    text = answer_text(verdict, label, sides, kind, citations, titles, agreements)
    return Answer(
        question=question,
        verdict=verdict,
        answer=text,
        confidence=round(confidence, 3),
        citations=citations,
        topic=known[0] if known else None,
        agreements=agreements,
        retrieved=list(retrieved),
    )


def _of_retrieved(
    aliases: dict[str, PartyAliases], retrieved: list[RetrievedChunk]
) -> dict[str, PartyAliases]:
    """The aliases of the agreements that passages came from, not of the whole index."""
    names = {rc.chunk.agreement for rc in retrieved}
    return {name: a for name, a in aliases.items() if name in names}


def _group_by_agreement(retrieved: list[RetrievedChunk]) -> dict[str, list[RetrievedChunk]]:
    """Passages per agreement, agreements in the order of their best passage."""
    groups: dict[str, list[RetrievedChunk]] = {}
    for hit in retrieved:
        groups.setdefault(hit.chunk.agreement, []).append(hit)
    return groups
