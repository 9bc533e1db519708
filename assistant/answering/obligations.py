"""Who must, must not, may, or disclaims, in one sentence of an agreement.

Deciding who holds a duty comes down to reading modal language ("shall", "is responsible for",
"will not be liable") and finding its subject among the agreement's names for the two parties.
The subject is the party named before the trigger in the same clause, not a party merely
mentioned as an object ("Provider will notify Customer" is the provider's duty). Patterns are
deliberately plain regular expressions so the result is deterministic and explainable.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from assistant.types import Party
from ingest.parties import CUSTOMER_ROLE_WORDS, PROVIDER_ROLE_WORDS
from ingest.types import PartyAliases

logger = logging.getLogger(__name__)

ObligationKind = Literal["duty", "prohibition", "right", "disclaimer"]


_POSSESSIVE_PRONOUNS = frozenset({"your", "yours", "our", "ours", "their", "its"})
_OBJECT_PRONOUNS = frozenset({"us", "them"})
_PREPOSITIONS = frozenset(
    {
        "to",
        "of",
        "by",
        "for",
        "from",
        "with",
        "upon",
        "on",
        "at",
        "against",
        "under",
        "between",
        "than",
        "toward",
        "towards",
        "about",
        "via",
        "through",
        "into",
        "onto",
        "without",
        "including",
        "include",
        "includes",
        "among",
        "behalf",
        "inform",
        "notify",
        "assist",
        "provide",
        "allow",
        "allows",
        "permit",
        "permits",
        "enable",
        "enables",
        "requires",
        "require",
    }
)
# A party word followed by one of these is part of a noun phrase ("Customer Data"), not a party.
_COMPOUND_HEADS = frozenset(
    {
        "data",
        "content",
        "contents",
        "materials",
        "material",
        "information",
        "account",
        "accounts",
        "systems",
        "system",
        "applications",
        "application",
        "personal",
        "instructions",
        "instruction",
        "request",
        "requests",
        "property",
        "environment",
        "covered",
        "indemnified",
        "products",
        "product",
        "services",
        "service",
        "software",
        "users",
        "user",
        "affiliates",
        "entities",
        "entity",
        "code",
        "equipment",
        "site",
        "sites",
        "portal",
        "platform",
        "group",
        "policies",
        "policy",
        "name",
        "names",
        "logo",
        "marks",
        "confidential",
        "feedback",
        "technology",
        "infrastructure",
        "premises",
        "support",
        "care",
        "success",
        "agreement",
        "terms",
    }
)
_MUTUAL = re.compile(
    r"\b(?:each|either|neither|both)\s+(?:of\s+the\s+)?part(?:y|ies)\b|\bthe\s+parties\b"
    r"|\beach\s+of\s+(?:the\s+)?parties\b",
    re.IGNORECASE,
)
_CONDITIONAL = re.compile(
    r"\b(?:if|unless|in\s+the\s+event|where|when|whenever|until|in\s+case|provided\s+that"
    r"|to\s+the\s+extent)\b",
    re.IGNORECASE,
)
_BOUNDARY = re.compile(r"[;:\n]|\.\s|\(\s*[a-z0-9ivx]{1,4}\s*\)\s")

_ADV = r"(?:\w+ly\s+)?(?:and\s+\w+ly\s+)?"
_COPULA_NEG = (
    r"(?:(?:shall|will|must|can|may|should|would)\s+not\s+(?:be|remain)|(?:shall|will)\s+in\s+no"
    r"\s+event\s+be|(?:is|are)\s+not|(?:is|are)\s+in\s+no\s+way|isn[\u2019']t|aren[\u2019']t|won[\u2019']t\s+be)"
)
_COPULA = (
    r"(?:(?:shall|will|must|should)\s+(?:at\s+all\s+times\s+)?(?:be|remain)|is|are|remains?"
    r"|be|stays?)"
)
_DISCLAIM_VERBS = (
    r"(?:perform|provide|guarantee|warrant|back\s+up|backup|maintain|monitor|assume|accept"
    r"|control|review|verify|endorse|take|store|encrypt|offer|make|undertake|represent|ensure"
    r"|retain|keep|check|screen|pre-?screen|patch|update|support|protect|secure|promise"
    r"|commit|owe|have\s+(?:any\s+)?(?:obligation|responsibility|duty|liability))"
)
_COMMIT_VERBS = (
    r"(?:maintain|implement|perform|provide|encrypt|back\s+up|backs\s+up|notif(?:y|ies)"
    r"|delete|store|keep|take|employ|monitor|apply|appl(?:y|ies)|retain|host|process|train"
    r"|ensure|make|offer|operate|protect|secure|review|test|remediate|patch|update|support"
    r"|respond|inform|conduct|restrict|limit|log|assist|cooperate|erase|destroy|return"
    r"|indemnif(?:y|ies)|defend|reimburse|bear|bears|handle|manage|audit"
    r"|encrypts|install|configure|remove|hold|hire|choose|select|determine|acquire)"
)
_PARTICIPLE_EXCLUDED = frozenset(
    {
        "deemed",
        "considered",
        "bound",
        "subject",
        "required",
        "permitted",
        "allowed",
        "entitled",
        "obliged",
        "obligated",
        "prohibited",
        "able",
        "liable",
        "responsible",
        "governed",
        "construed",
        "interpreted",
        "defined",
        "used",
        "referred",
        "set",
        "given",
        "based",
        "located",
        "understood",
        "intended",
        "limited",
    }
)


@dataclass(frozen=True)
class Obligation:
    """One reading of obligation language: who (or both), what kind, and where it sits.

    `party` is None exactly when `mutual` is True ("each party shall"). `span` is the
    character span of the trigger words; `scope` runs from the subject to the end of the clause
    the trigger governs, so a caller can test whether the topic falls within this obligation
    rather than elsewhere in a sentence holding two.
    """

    party: Party | None
    mutual: bool
    kind: ObligationKind
    strength: float
    span: tuple[int, int]
    scope: tuple[int, int]
    basis: str


@dataclass(frozen=True)
class _Mention:
    party: Party | None  # None for a mutual phrase ("each party")
    start: int
    end: int
    possessive: bool
    subject_capable: bool


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    kind: ObligationKind
    strength: float
    basis: str


def _words(aliases: PartyAliases) -> tuple[tuple[str, ...], tuple[str, ...]]:
    # The role words stand in only when an agreement's aliases for a party are unknown.
    customer = tuple(w for w in aliases.customer if w.strip()) or CUSTOMER_ROLE_WORDS
    provider = tuple(w for w in aliases.provider if w.strip()) or PROVIDER_ROLE_WORDS
    if aliases.provider_name and aliases.provider_name not in provider:
        provider = (*provider, aliases.provider_name)
    return customer, provider


def _alt(words: tuple[str, ...]) -> str:
    ordered = sorted({w.strip() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@lru_cache(maxsize=256)
def _alias_regex(customer: tuple[str, ...], provider: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w-])(?:(?P<c>" + _alt(customer) + r")|(?P<p>" + _alt(provider) + r"))"
        r"(?P<poss>[\u2019']s\b|s[\u2019'](?!\w))?(?![\w-])",
        re.IGNORECASE,
    )


def _mentions(
    sentence: str, customer: tuple[str, ...], provider: tuple[str, ...]
) -> list[_Mention]:
    found: list[_Mention] = []
    for m in _alias_regex(customer, provider).finditer(sentence):
        party = Party.CUSTOMER if m.group("c") else Party.PROVIDER
        word = (m.group("c") or m.group("p")).lower()
        possessive = bool(m.group("poss")) or word in _POSSESSIVE_PRONOUNS
        after = sentence[m.end() :]
        nxt = re.match(r"\s+([\w-]+)", after)
        compound = False
        if not possessive and nxt:
            head = nxt.group(1)
            if head.lower() in _COMPOUND_HEADS or (
                head[:1].isupper()
                and head.lower()
                not in {
                    "and",
                    "or",
                    "shall",
                    "will",
                    "must",
                    "may",
                    "is",
                    "are",
                    "can",
                    "agrees",
                    "acknowledges",
                    "has",
                    "have",
                    "does",
                    "do",
                    "should",
                    "undertakes",
                }
            ):
                compound = True
        before = re.search(r"([\w\u2019']+)\s*(?:the\s+)?$", sentence[: m.start()], re.IGNORECASE)
        after_prep = bool(before and before.group(1).lower() in _PREPOSITIONS)
        capable = not (possessive or compound or after_prep or word in _OBJECT_PRONOUNS)
        found.append(_Mention(party, m.start(), m.end(), possessive, capable))
    for m in _MUTUAL.finditer(sentence):
        found.append(_Mention(None, m.start(), m.end(), False, True))
    found.sort(key=lambda x: x.start)
    return found


def _fixed_patterns() -> list[_Pattern]:
    """Patterns whose subject is found before the trigger, in priority order."""
    i = re.IGNORECASE
    return [
        _Pattern(
            re.compile(
                r"\b"
                + _COPULA_NEG
                + r"\s+"
                + _ADV
                + r"(?:responsible|liable|accountable|obliged|obligated|required"
                + r"|bound)\b",
                i,
            ),
            "disclaimer",
            1.0,
            "not responsible",
        ),
        _Pattern(
            re.compile(
                r"\b(?:has|have|shall\s+have|will\s+have|bears?|assumes?|accepts?"
                r"|is\s+under|are\s+under)\s+no\s+(?:\w+\s+)?(?:obligation|"
                r"responsibility|liability|duty|duties|obligations)\b",
                i,
            ),
            "disclaimer",
            1.0,
            "has no obligation",
        ),
        _Pattern(
            re.compile(
                r"\b(?:disclaims?|expressly\s+disclaims?|makes?\s+no\s+(?:\w+\s+)?"
                r"(?:warrant(?:y|ies)|representations?|guarantees?|commitments?|"
                r"promises?))\b",
                i,
            ),
            "disclaimer",
            0.9,
            "disclaims",
        ),
        _Pattern(
            re.compile(r"\b(?:does|do|will|shall)\s+not\s+" + _ADV + _DISCLAIM_VERBS + r"\b", i),
            "disclaimer",
            0.8,
            "does not",
        ),
        _Pattern(
            re.compile(
                r"\b(?:cannot|can\s*not|can[\u2019']t)\s+(?:\w+\s+)?(?:guarantee|"
                r"warrant|ensure|promise|be\s+(?:held\s+)?(?:responsible|liable)|"
                r"review|monitor|control|verify|check)\b",
                i,
            ),
            "disclaimer",
            0.8,
            "cannot guarantee",
        ),
        _Pattern(
            re.compile(
                r"\b(?:has|have|had)\s+not\s+(?:reviewed|verified|checked|"
                r"monitored|audited)\b",
                i,
            ),
            "disclaimer",
            0.6,
            "has not reviewed",
        ),
        _Pattern(
            re.compile(
                r"\b(?:(?:shall|will|must|may|should|can)\s+not|cannot|can[\u2019']t|"
                r"won[\u2019']t|shan[\u2019']t|mustn[\u2019']t|agrees?\s+not\s+to|undertakes?\s+"
                r"not\s+to|(?:is|are)\s+(?:not\s+permitted|not\s+allowed|prohibited"
                r"|forbidden)\s+(?:to|from))\b",
                i,
            ),
            "prohibition",
            1.0,
            "must not",
        ),
        _Pattern(
            re.compile(
                r"\b" + _COPULA + r"\s+" + _ADV + r"(?:responsible|liable|accountable)\b", i
            ),
            "duty",
            1.0,
            "is responsible",
        ),
        _Pattern(
            re.compile(
                r"\b(?:has|have|assumes?|bears?|takes?|accepts?|retains?)\s+"
                r"(?:the\s+|all\s+|full\s+|sole\s+|exclusive\s+|and\s+)*"
                r"(?:responsibility|liability|risk)\b",
                i,
            ),
            "duty",
            0.9,
            "bears responsibility",
        ),
        _Pattern(
            re.compile(
                r"\b(?:(?:is|are|shall\s+be|will\s+be)\s+(?:entitled|eligible|permitted|"
                r"allowed|authori[sz]ed)\s+(?:to|for)|reserves?\s+the\s+right|(?:has|have|"
                r"shall\s+have|will\s+have|retains?)\s+the\s+(?:\w+\s+)?right|at\s+"
                r"(?:its|their|our|your)\s+(?:sole\s+|own\s+)?discretion)\b",
                i,
            ),
            "right",
            1.0,
            "is entitled",
        ),
        _Pattern(
            re.compile(
                r"\b(?:(?:is|are|shall\s+be|will\s+be)\s+(?:required|obliged|"
                r"obligated|bound)\s+to|agrees?\s+to|undertakes?\s+to|commits?\s+to"
                r"|(?:has|have)\s+to|needs?\s+to|warrants?|represents\s+and\s+"
                r"warrants|guarantees?|ensures?)\b",
                i,
            ),
            "duty",
            1.0,
            "agrees to",
        ),
        _Pattern(re.compile(r"\b(?:shall|must)\b", i), "duty", 1.0, "shall"),
        _Pattern(re.compile(r"\bwill\b", i), "duty", 0.85, "will"),
        _Pattern(re.compile(r"\bshould\b", i), "duty", 0.5, "should"),
        _Pattern(re.compile(r"\b(?:may|can|might)\b", i), "right", 0.9, "may"),
    ]


_FIXED = _fixed_patterns()
# Without a named actor a passive allocates nothing for sure: it only tips a close call.
_AGENTLESS_STRENGTH = 0.15
# "X will be deleted by Provider": the agent is named, but further from the verb than a subject.
_PASSIVE_AGENT_FACTOR = 0.8
# "Data is deleted by Provider" (no modal): a statement of practice, weaker than "shall".
_PLAIN_PASSIVE_STRENGTH = 0.7
# Inside an unclosed "if"/"unless" clause the verb states a condition, not an obligation.
_CONDITIONAL_FACTOR = 0.4
# The further the party word sits before its verb (in characters), the less sure it is the
# verb's subject: within 40 sure, within 100 likely, beyond that a guess.
_SUBJECT_GAP_CONFIDENCE = ((40, 1.0), (100, 0.8))
_FAR_SUBJECT_CONFIDENCE = 0.6
_PASSIVE_AFTER = re.compile(
    r"\s+(?:not\s+)?(?:\w+ly\s+)?be\s+(?:\w+ly\s+)?(?P<pp>[a-z]+(?:ed|en|wn|ne|pt|lt|up))\b",
    re.IGNORECASE,
)
_PLAIN_PASSIVE = re.compile(
    r"\b(?:is|are)\s+(?:\w+ly\s+)?(?:not\s+)?(?P<pp>[a-z]+(?:ed|en|wn|pt|lt)(?:\s+up)?)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=256)
def _alias_patterns(customer: tuple[str, ...], provider: tuple[str, ...]) -> list[_Pattern]:
    """Patterns that carry their own party in a `c`/`p` group (possessives, inversions)."""
    i = re.IGNORECASE
    who = (
        r"(?:(?P<c>" + _alt(customer) + r")|(?P<p>" + _alt(provider) + r")"
        r"|(?P<m>(?:each|either|both|the)\s+part(?:y|ies)))"
    )
    return [
        _Pattern(
            re.compile(
                r"\bin\s+no\s+event\s+(?:shall|will)\s+(?:the\s+)?"
                + who
                + r"(?![\w-])(?:[^.;]{0,120}?\bbe\s+(?:\w+ly\s+)?"
                + r"(?:liable|responsible))?",
                i,
            ),
            "disclaimer",
            1.0,
            "in no event",
        ),
        _Pattern(
            re.compile(r"\bneither\s+(?:the\s+)?" + who + r"(?![\w-])\s+nor\b", i),
            "disclaimer",
            0.3,
            "neither nor",
        ),
        _Pattern(
            re.compile(
                r"(?<![\w-])" + who + r"(?:[\u2019']s|s[\u2019'])?\s+(?:sole\s+|own\s+|"
                r"exclusive\s+|full\s+|entire\s+)*(?:responsibility|"
                r"responsibilities|obligations?|duty|duties)\b",
                i,
            ),
            "duty",
            1.0,
            "X's responsibility",
        ),
        _Pattern(
            re.compile(
                r"\b(?:sole\s+|exclusive\s+|full\s+)?(?:responsibility|obligation|"
                r"duty)\s+of\s+(?:the\s+)?" + who + r"(?![\w-])",
                i,
            ),
            "duty",
            1.0,
            "responsibility of X",
        ),
        _Pattern(
            re.compile(
                r"(?<![\w-])"
                + who
                + r"\s+(?:also\s+)?(?:\w+ly\s+)?"
                + _COMMIT_VERBS
                + r"(?:s|es)?\b(?!\s+no\b)",
                i,
            ),
            "duty",
            0.6,
            "X does",
        ),
    ]


def _group_party(m: re.Match[str]) -> tuple[Party | None, bool]:
    if m.group("c"):
        return Party.CUSTOMER, False
    if m.group("p"):
        return Party.PROVIDER, False
    return None, True


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)


def _clause_start(sentence: str, pos: int) -> int:
    start = 0
    for b in _BOUNDARY.finditer(sentence, 0, pos):
        start = b.end()
    return start


def _clause_end(sentence: str, pos: int) -> int:
    m = re.compile(r"[;\n]|\.\s").search(sentence, pos)
    return m.start() if m else len(sentence)


def _subject(
    mentions: list[_Mention], sentence: str, trigger: tuple[int, int]
) -> tuple[_Mention | None, float]:
    """The party mention heading the trigger's clause, with a confidence for the distance."""
    floor = max(_clause_start(sentence, trigger[0]), trigger[0] - 220)
    candidates = [
        x for x in mentions if x.subject_capable and x.end <= trigger[0] and x.start >= floor
    ]
    if not candidates:
        return None, 0.0
    best = candidates[-1]
    # "Customer and Provider shall" / "Provider and Customer will": both parties are subject.
    if best.party is not None and len(candidates) >= 2:
        prev = candidates[-2]
        between = sentence[prev.end : best.start]
        if prev.party not in (None, best.party) and re.fullmatch(r"\s+and\s+", between):
            best = _Mention(None, prev.start, best.end, False, True)
    gap = trigger[0] - best.end
    confidence = next(
        (c for limit, c in _SUBJECT_GAP_CONFIDENCE if gap <= limit), _FAR_SUBJECT_CONFIDENCE
    )
    return best, confidence * _conditional_factor(sentence, best.start)


def _passive(
    sentence: str, trigger: tuple[int, int], mentions: list[_Mention]
) -> tuple[bool, _Mention | None]:
    """Is the trigger a passive ("will be deleted"), and who is the "by" agent if any."""
    m = _PASSIVE_AFTER.match(sentence, trigger[1])
    if not m or _not_participle(m.group("pp")):
        return False, None
    return True, _agent(sentence, m.end(), mentions)


def _agent(sentence: str, pos: int, mentions: list[_Mention]) -> _Mention | None:
    window = sentence[pos : pos + 80]
    by = re.search(r"\bby\s+(?:the\s+)?", window, re.IGNORECASE)
    if not by:
        return None
    at = pos + by.end()
    for x in mentions:
        if x.start == at and x.party is not None and not x.possessive:
            return x
    return None


def _scope_end_cut(obligations: list[Obligation], sentence: str) -> list[Obligation]:
    """Stop each obligation's scope where the next obligation of another subject begins."""
    out: list[Obligation] = []
    ordered = sorted(obligations, key=lambda o: o.scope[0])
    for idx, ob in enumerate(ordered):
        end = ob.scope[1]
        for nxt in ordered[idx + 1 :]:
            if nxt.scope[0] > ob.span[0] and (nxt.party, nxt.mutual) != (ob.party, ob.mutual):
                end = min(end, nxt.scope[0])
                break
        out.append(
            Obligation(
                ob.party,
                ob.mutual,
                ob.kind,
                ob.strength,
                ob.span,
                (ob.scope[0], max(end, ob.span[1])),
                ob.basis,
            )
        )
    return sorted(out, key=lambda o: o.span[0])


def read_obligations(sentence: str, aliases: PartyAliases) -> list[Obligation]:
    """Every obligation a sentence states, in reading order.

    A trigger without a party subject ("Backups shall be kept") yields nothing unless it is a
    passive naming its agent ("backups are performed by Provider"); an agentless passive in
    the present or with a modal is read as a weak provider statement, since what is done to the
    service or its data without a named actor is done by whoever operates it.
    """
    customer, provider = _words(aliases)
    mentions = _mentions(sentence, customer, provider)
    taken: list[tuple[int, int]] = []
    results: list[Obligation] = []

    for pat in _alias_patterns(customer, provider):
        for m in pat.regex.finditer(sentence):
            span = (m.start(), m.end())
            if _overlaps(span, taken):
                continue
            party, mutual = _group_party(m)
            word = (m.group("c") or m.group("p") or "").lower()
            if pat.basis == "X does" and (
                mutual
                or word in _POSSESSIVE_PRONOUNS | _OBJECT_PRONOUNS
                or _is_object_use(sentence, m.start())
            ):
                continue
            taken.append(span)
            strength = pat.strength * _conditional_factor(sentence, span[0])
            results.append(
                Obligation(
                    party,
                    mutual,
                    pat.kind,
                    strength,
                    span,
                    (span[0], _clause_end(sentence, span[1])),
                    pat.basis,
                )
            )

    found: list[tuple[tuple[int, int], _Pattern]] = []
    for pat in _FIXED:
        for m in pat.regex.finditer(sentence):
            span = (m.start(), m.end())
            if not _overlaps(span, taken):
                taken.append(span)
                found.append((span, pat))
    found.sort(key=lambda f: f[0][0])
    chained: list[tuple[int, int]] = []
    for span, pat in found:
        ob = _read_fixed(sentence, span, pat, mentions, chained)
        if ob is not None:
            results.append(ob)

    results.extend(_plain_passives(sentence, mentions, taken))
    return _scope_end_cut(results, sentence)


def _conditional_factor(sentence: str, pos: int) -> float:
    """Less than 1 inside an unclosed "if"/"unless" clause (a condition, not an obligation)."""
    floor = _clause_start(sentence, pos)
    head = sentence[floor:pos]
    cond = list(_CONDITIONAL.finditer(head))
    return _CONDITIONAL_FACTOR if cond and "," not in head[cond[-1].end() :] else 1.0


def _is_object_use(sentence: str, start: int) -> bool:
    """True when the party word starting at `start` follows a preposition or a verb's object."""
    before = re.search(r"([\w\u2019']+)\s*(?:the\s+)?$", sentence[:start])
    return bool(before and before.group(1).lower() in _PREPOSITIONS)


def _read_fixed(
    sentence: str,
    span: tuple[int, int],
    pat: _Pattern,
    mentions: list[_Mention],
    chained: list[tuple[int, int]],
) -> Obligation | None:
    kind = pat.kind
    strength = pat.strength
    passive, agent = (False, None)
    if pat.basis in {"shall", "will", "should", "may", "must not"}:
        passive, agent = _passive(sentence, span, mentions)
    if passive:
        if agent is not None:
            return Obligation(
                agent.party,
                False,
                kind,
                strength * _PASSIVE_AGENT_FACTOR,
                span,
                (span[0], _clause_end(sentence, span[1])),
                "passive by X",
            )
        if kind in {"duty", "prohibition"} and pat.basis != "should":
            return Obligation(
                Party.PROVIDER,
                False,
                kind,
                _AGENTLESS_STRENGTH,
                span,
                (span[0], _clause_end(sentence, span[1])),
                "agentless passive",
            )
        return None
    subject, confidence = _subject(mentions, sentence, span)
    if subject is None:
        return None
    # A second trigger in the same verb chain ("Provider shall ensure", "will not (and will
    # not allow ...)") restates the first one: keep only the first.
    for s, e in chained:
        if subject.end <= s and e <= span[0]:
            return None
    chained.append(span)
    return Obligation(
        subject.party,
        subject.party is None,
        kind,
        strength * confidence,
        span,
        (subject.start, _clause_end(sentence, span[1])),
        pat.basis,
    )


def _not_participle(word: str) -> bool:
    """Adjectives and status words that look like participles ("uninterrupted", "required")."""
    w = word.lower().split()[0]
    return w in _PARTICIPLE_EXCLUDED or w.startswith("un")


def _plain_passives(
    sentence: str, mentions: list[_Mention], taken: list[tuple[int, int]]
) -> list[Obligation]:
    """Present-tense passives ("backups are performed daily [by Provider]")."""
    out: list[Obligation] = []
    for m in _PLAIN_PASSIVE.finditer(sentence):
        span = (m.start(), m.end())
        pp = m.group("pp").lower().split()[0]
        if _overlaps(span, taken) or _not_participle(pp):
            continue
        negated = " not " in f" {m.group(0).lower()} "
        agent = _agent(sentence, m.end(), mentions)
        taken.append(span)
        if agent is not None:
            out.append(
                Obligation(
                    agent.party,
                    False,
                    "disclaimer" if negated else "duty",
                    _PLAIN_PASSIVE_STRENGTH,
                    span,
                    (span[0], _clause_end(sentence, span[1])),
                    "passive by X",
                )
            )
        elif not negated:
            out.append(
                Obligation(
                    Party.PROVIDER,
                    False,
                    "duty",
                    _AGENTLESS_STRENGTH,
                    span,
                    (span[0], _clause_end(sentence, span[1])),
                    "agentless passive",
                )
            )
    return out
