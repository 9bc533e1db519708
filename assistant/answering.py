"""The extractive decision: which party holds the duty asked about, and the sentences showing it.

No language model is involved, so the same question over the same passages always gets the same
answer. The decision weighs obligation language (who must, must not, may, disclaims) in the
retrieved sentences that are about the question's topic, favouring better-ranked passages, and
abstains ("not addressed") when nothing on the topic allocates a duty: a passing mention of the
topic is not an allocation.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from assistant.lexical import stem
from assistant.obligations import Obligation, read_obligations
from assistant.parties import is_rights_question, party_asked
from assistant.topics import get_topic, topic_match_strength, topic_regex
from assistant.types import Answer, Citation, Party, PartyAliases, RetrievedChunk, Verdict
from ingest.sentences import split_sentences

logger = logging.getLogger(__name__)

MAX_CITATIONS = 3
_MIN_EVIDENCE = 0.3  # below this no party is taken to hold the duty
_SHARED_RATIO = 0.65  # the weaker party needs this share of the stronger's score for "shared"
# A sentence sharing the question's own words (its object: "our app", "regulators") says more
# than one that only names the topic, so relevance keeps growing with that overlap.
_OVERLAP_WEIGHT = 0.4
_MAX_RELEVANCE = 1.5
# A disclaimer ("we are not responsible for patching your software") leaves the duty with the
# other party almost as plainly as a duty of theirs would.
_DISCLAIMER_WEIGHT = 0.8
_RELATED_TOGETHER = 0.7  # two related words (0.35 each) make a sentence topical
_LONG_SENTENCE = 450  # longer "sentences" are cited by the clause holding the trigger
_QUOTE_IN_TEXT = 220

_STOPWORDS_TEXT = """a about above after again against all also am an and any are as at be
because been before being below between both but by can could did do does doing down during each
few for from further had has have having he her here hers him his how i if in into is it its
itself just me more most my no nor not now of off on once only or other our ours out over own same
she should so some such than that the their theirs them then there these they this those through
to too under until up very was we were what when where which while who whom whose why will with
would you your yours us vendor provider customer company service services agreement they're
we're we've okay anyone someone job responsible responsibility need needs must shall may might
obliged required allowed"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_END_MARKERS = " \t\r\n*_#`>|"


@dataclass(frozen=True)
class _Evidence:
    """One obligation in one relevant sentence, already weighed and pointed at a verdict."""

    target: Verdict
    weight: float
    rank: int
    chunk: RetrievedChunk
    span: tuple[int, int]
    obligation: Obligation


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow a span past whitespace, markdown markers and HTML tags at its two ends only."""
    while True:
        before = (start, end)
        while start < end and text[start] in _END_MARKERS:
            start += 1
        while end > start and text[end - 1] in _END_MARKERS:
            end -= 1
        bullet = re.match(r"(?:[-•]\s+|<[^<>]{1,20}>)", text[start:end])
        if bullet:
            start += bullet.end()
        tag = re.search(r"<[^<>]{1,20}>$", text[start:end])
        if tag:
            end = start + tag.start()
        if (start, end) == before:
            return start, end


def _content_words(text: str) -> set[str]:
    words = re.findall(r"[a-z][a-z'-]{2,}", text.lower())
    return {stem(w) for w in words if w not in _STOPWORDS}


def _relevance(sentence: str, topics: list[str], qwords: set[str], heading_hit: bool) -> float:
    """How much a sentence is about the question: topic keywords first, question words second.

    A sentence needs one of the topic's own keywords, or related words / question words under
    a heading that is itself about the topic. Otherwise it is not evidence at all, whatever
    obligation language it holds.
    """
    keyword = 0.0
    for i, topic in enumerate(topics):
        factor = 1.0 if i == 0 else 0.3
        if topic_regex(topic).search(sentence):
            keyword = max(keyword, factor * topic_match_strength(sentence, topic))
    overlap = len(qwords & _content_words(sentence))
    if keyword > 0:
        return keyword + _OVERLAP_WEIGHT * overlap
    related = max((topic_match_strength(sentence, t) for t in topics), default=0.0)
    if heading_hit and (related > 0 or overlap >= 1):
        return 0.5 * (related + 0.3 * overlap)
    # Several common words of the topic together ("copies ... can be recovered") do what
    # one of its own keywords does alone.
    if related >= _RELATED_TOGETHER:
        return 0.5 * (related + 0.3 * overlap)
    if not topics and overlap >= 2:
        return 0.3 * overlap
    return 0.0


def _heading_hit(chunk: RetrievedChunk, topics: list[str]) -> bool:
    heading = " ".join(chunk.chunk.heading_path)
    return bool(heading) and any(topic_regex(t).search(heading) for t in topics)


def _scope_topical(sentence: str, ob: Obligation, topics: list[str], qwords: set[str]) -> bool:
    scope = sentence[ob.scope[0] : ob.scope[1]]
    if any(topic_regex(t).search(scope) for t in topics):
        return True
    return len(qwords & _content_words(scope)) >= 2


def _other(party: Party) -> Verdict:
    return Verdict.PROVIDER if party is Party.CUSTOMER else Verdict.CUSTOMER


def _target(ob: Obligation, rights_q: bool) -> tuple[Verdict, float] | None:
    """Which verdict an obligation supports, and how strongly (before relevance and rank)."""
    if ob.mutual:
        if ob.kind in ("duty", "prohibition") or (ob.kind == "right" and rights_q):
            return Verdict.SHARED, 1.0
        return None
    if ob.party is None:
        return None
    own = Verdict(ob.party.value)
    if ob.kind in ("duty", "prohibition"):
        return own, 1.0
    if ob.kind == "right":
        return (own, 1.0) if rights_q else None
    return _other(ob.party), _DISCLAIMER_WEIGHT


def _collect(
    retrieved: list[RetrievedChunk],
    topics: list[str],
    aliases: dict[str, PartyAliases],
    qwords: set[str],
    rights_q: bool,
) -> tuple[list[_Evidence], list[tuple[float, int, RetrievedChunk, tuple[int, int]]]]:
    """Weighed evidence, plus every topical sentence (for citing when nothing allocates)."""
    evidence: list[_Evidence] = []
    topical: list[tuple[float, int, RetrievedChunk, tuple[int, int]]] = []
    for rank, rc in enumerate(retrieved):
        rank_weight = 1.0 / (1.0 + 0.25 * rank)
        party_words = aliases.get(rc.chunk.agreement) or PartyAliases()
        heading_hit = _heading_hit(rc, topics)
        text = rc.chunk.text
        for start, end in split_sentences(text):
            start, end = _trim(text, start, end)
            sentence = text[start:end]
            rel = _relevance(sentence, topics, qwords, heading_hit)
            if rel <= 0:
                continue
            topical.append((rel * rank_weight, rank, rc, (start, end)))
            best: dict[Verdict, _Evidence] = {}
            for ob in read_obligations(sentence, party_words):
                aimed = _target(ob, rights_q)
                if aimed is None:
                    continue
                verdict, kind_weight = aimed
                in_scope = 1.0 if _scope_topical(sentence, ob, topics, qwords) else 0.5
                weight = (
                    rank_weight
                    * min(_MAX_RELEVANCE, 0.5 + 0.25 * rel)
                    * in_scope
                    * kind_weight
                    * ob.strength
                )
                shifted = Obligation(
                    ob.party,
                    ob.mutual,
                    ob.kind,
                    ob.strength,
                    (ob.span[0] + start, ob.span[1] + start),
                    (ob.scope[0] + start, ob.scope[1] + start),
                    ob.basis,
                )
                ev = _Evidence(verdict, weight, rank, rc, (start, end), shifted)
                if verdict not in best or best[verdict].weight < weight:
                    best[verdict] = ev
            evidence.extend(best.values())
    return evidence, topical


def _decide_verdict(scores: dict[Verdict, float], asked: Party | None) -> tuple[Verdict, float]:
    """The verdict and a confidence from the margin between the parties' scores."""
    c = scores[Verdict.CUSTOMER]
    p = scores[Verdict.PROVIDER]
    m = scores[Verdict.SHARED]
    if max(c, p, m) < _MIN_EVIDENCE:
        return Verdict.NOT_ADDRESSED, 0.3
    if asked is not None:
        c, p = c + m, p + m
        if c == p:
            return Verdict(asked.value), 0.4
        top, second = max(c, p), min(c, p)
        verdict = Verdict.CUSTOMER if c > p else Verdict.PROVIDER
        return verdict, _party_confidence(top, second)
    top, second = max(c, p), min(c, p)
    if m >= _MIN_EVIDENCE and m >= 0.6 * top:
        return Verdict.SHARED, min(0.9, 0.45 + 0.2 * min(1.0, m / 1.5) + 0.2 * (m / (m + top)))
    if second >= _MIN_EVIDENCE and second >= _SHARED_RATIO * top:
        balance = second / top
        return Verdict.SHARED, min(0.9, 0.35 + 0.3 * balance + 0.2 * min(1.0, second / 1.5))
    verdict = Verdict.CUSTOMER if c > p else Verdict.PROVIDER
    return verdict, _party_confidence(top, second + 0.5 * m)


def _party_confidence(top: float, second: float) -> float:
    margin = (top - second) / (top + second) if top + second > 0 else 0.0
    strength = min(1.0, top / 1.5)
    return max(0.05, min(0.95, 0.3 + 0.4 * margin + 0.25 * strength))


def _quote_span(text: str, span: tuple[int, int], ob: Obligation | None) -> tuple[int, int]:
    """The citation span: the sentence, or for a very long one the clause holding the trigger."""
    start, end = span
    if ob is None or end - start <= _LONG_SENTENCE:
        return start, end
    # Only a semicolon bounds a clause: line breaks in extracted PDF text fall mid-clause.
    left = text.rfind(";", start, ob.scope[0])
    right = text.find(";", ob.span[1], end)
    new_start = left + 1 if left >= start else start
    new_end = right + 1 if right != -1 else end
    return _trim(text, new_start, new_end)


def _citation(rc: RetrievedChunk, span: tuple[int, int], ob: Obligation | None) -> Citation:
    text = rc.chunk.text
    start, end = _quote_span(text, span, ob)
    heading = rc.chunk.heading_path[-1] if rc.chunk.heading_path else None
    return Citation(
        agreement=rc.chunk.agreement,
        section=rc.chunk.section,
        page=rc.chunk.page_start,
        # Words verbatim; line breaks of the extraction collapsed so the quote reads as prose.
        quote=" ".join(text[start:end].split()),
        chunk_id=rc.chunk.id,
        char_start=rc.chunk.start + start,
        char_end=rc.chunk.start + end,
        heading=heading,
    )


def _pick(evidence: list[_Evidence], verdict: Verdict) -> list[_Evidence]:
    """Best evidence first; for "shared", the best of each side before any second of one."""
    if verdict is Verdict.SHARED:
        sides = [Verdict.SHARED, Verdict.PROVIDER, Verdict.CUSTOMER]
        per_side = [
            sorted((e for e in evidence if e.target is s), key=lambda e: -e.weight) for s in sides
        ]
        firsts = sorted((lst[0] for lst in per_side if lst), key=lambda e: -e.weight)
        rest = sorted((e for lst in per_side for e in lst[1:]), key=lambda e: -e.weight)
        ordered = firsts + rest
    else:
        ordered = sorted((e for e in evidence if e.target is verdict), key=lambda e: -e.weight)
    out: list[_Evidence] = []
    seen: set[tuple[str, tuple[int, int]]] = set()
    for e in ordered:
        key = (e.chunk.chunk.id, e.span)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _source(c: Citation, titles: dict[str, str]) -> str:
    where = titles.get(c.agreement) or c.agreement
    if c.section:
        where += f" §{c.section}"
    if c.page:
        where += f" (p. {c.page})"
    return where


def _short(quote: str) -> str:
    flat = " ".join(quote.split())
    if len(flat) <= _QUOTE_IN_TEXT:
        return flat
    cut = flat[:_QUOTE_IN_TEXT].rsplit(" ", 1)[0]
    return cut + " …"


def _text(
    verdict: Verdict,
    label: str,
    picked: list[_Evidence],
    citations: list[Citation],
    titles: dict[str, str],
    agreements: list[str],
) -> str:
    """One or two sentences for a lawyer: the role, the topic, the source and its words."""
    if verdict is Verdict.NOT_ADDRESSED or not citations:
        names = ", ".join(titles.get(a) or a for a in agreements) or "The agreement"
        closest = " The closest clauses are cited for reference." if citations else ""
        return (
            f"The agreement is silent on {label}: {names} does not allocate this duty to "
            f"either party.{closest}"
        )
    first, src = citations[0], _source(citations[0], titles)
    if verdict is Verdict.SHARED:
        if picked[0].target is Verdict.SHARED:
            return (
                f'Both parties hold a mutual duty on {label} under {src}: "{_short(first.quote)}"'
            )
        parts = []
        for side in (Verdict.PROVIDER, Verdict.CUSTOMER):
            for e, c in zip(picked, citations, strict=False):
                if e.target is side:
                    parts.append(
                        f'the {side.value} under {_source(c, titles)} ("{_short(c.quote)}")'
                    )
                    break
        return f"Both parties hold duties on {label}: " + "; ".join(parts) + "."
    role = verdict.value
    kind = picked[0].obligation.kind
    quote = _short(first.quote)
    if kind == "right":
        return f'The {role} holds the right at issue ({label}) under {src}: "{quote}"'
    if kind == "prohibition":
        return f'The duty ({label}) falls on the {role}, who must refrain under {src}: "{quote}"'
    if kind == "disclaimer":
        other = "provider" if role == "customer" else "customer"
        return f'The {role} bears {label}: the {other} disclaims it under {src}: "{quote}"'
    return f'The {role} is responsible for {label} under {src}: "{quote}"'


def _of_retrieved(
    aliases: dict[str, PartyAliases], retrieved: list[RetrievedChunk]
) -> dict[str, PartyAliases]:
    """The aliases of the agreements that passages came from, not of the whole index."""
    names = {rc.chunk.agreement for rc in retrieved}
    return {name: a for name, a in aliases.items() if name in names}


def _provider_names(aliases: dict[str, PartyAliases]) -> list[str]:
    names: set[str] = set()
    for a in aliases.values():
        names.update(w for w in a.provider if w[:1].isupper() and w.lower() not in {"we", "us"})
        if a.provider_name:
            names.add(a.provider_name)
    return sorted(names)


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
    known = [t for t in topics if _known_topic(t)]
    qwords = _content_words(question)
    rights_q = is_rights_question(question)
    asked = party_asked(question, _provider_names(_of_retrieved(aliases, retrieved)))
    evidence, topical = _collect(retrieved, known, aliases, qwords, rights_q)

    scores = dict.fromkeys(Verdict, 0.0)
    for e in evidence:
        scores[e.target] += e.weight
    verdict, confidence = _decide_verdict(scores, asked)
    logger.debug("scores %s asked=%s rights=%s -> %s", scores, asked, rights_q, verdict)

    picked = (
        _pick(evidence, verdict)[:MAX_CITATIONS] if verdict is not Verdict.NOT_ADDRESSED else []
    )
    if picked:
        citations = [_citation(e.chunk, e.span, e.obligation) for e in picked]
    else:
        closest = sorted(topical, key=lambda t: (-t[0], t[1]))[:MAX_CITATIONS]
        citations = [_citation(rc, span, None) for _, _, rc, span in closest]
        if not topical:
            confidence = 0.5  # nothing on the topic at all: abstaining is the safer reading
    agreements = list(dict.fromkeys(rc.chunk.agreement for rc in retrieved))
    label = get_topic(known[0]).label if known else "this matter"
    text = _text(verdict, label, picked, citations, titles, agreements)
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


def _known_topic(topic_id: str) -> bool:
    try:
        get_topic(topic_id)
    except KeyError:
        logger.warning("unknown topic id ignored")
        return False
    return True
