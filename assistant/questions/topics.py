"""The responsibility topics the assistant knows, and how to recognise them in words.

Users ask in lay language ("who wipes our content?") while agreements write in legal language
("Provider will delete Customer Content"). Each topic therefore carries three vocabularies:
`keywords` that are specific to the topic in both questions and clauses, `related` words that
support a topic but are too common to decide it alone, and `cues` that only occur in how people
ask (used for detecting the topic of a question, never for judging a clause).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache

logger = logging.getLogger(__name__)

# Light inflection allowed after a term: enough for backup/backups, notify/notified (via
# explicit stems), encrypt/encrypted/encryption, without a stemmer dependency.
_SUFFIX = r"(?:s|es|ed|d|ing|ion|ions|ly)?"
# Detecting a question's topic: its own keywords say most, the ways people ask about it
# (cues) a little less, words merely related to it least.
_KEYWORD_WEIGHT = 2.0
_CUE_WEIGHT = 1.5
_RELATED_WEIGHT = 1.0
# Judging a clause sentence: a keyword shows the topic, a related word only supports it; two
# of these make 0.7, what the judge takes as topical (weights.JudgeWeights.related_together).
_RELATED_HIT = 0.35
# A question is nearly always about one duty: topics under this share of the best are dropped.
_TOPIC_KEEP_SHARE = 0.5


@dataclass(frozen=True)
class Topic:
    """A responsibility topic with the vocabularies used to find it.

    A term ending in `*` matches any word starting with it ("encrypt*" -> encryption); a space in
    a term also matches a hyphen or nothing ("back up" -> back-up, backup).
    """

    id: str
    label: str
    keywords: tuple[str, ...]
    related: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()


TOPICS: tuple[Topic, ...] = (
    Topic(
        "data_accuracy",
        "data accuracy",
        ("accuracy", "accurate", "inaccura*", "data quality", "quality of", "correctness",
         "erroneous", "integrity of", "legality of"),
        ("content", "reliab*", "complete", "up to date", "verify", "errors", "reliance"),
        ("wrong", "incorrect", "mistake", "correct", "check that", "rely on"),
    ),
    Topic(
        "backups",
        "backups",
        ("back up", "backed up", "backing up", "backup copies", "snapshot", "disaster recovery",
         "point-in-time"),
        # "copy of the report", "restore the Service": too common to decide the topic alone.
        ("copies", "copies of", "copy of", "restore", "restoration", "recovery", "recover",
         "archiv*", "redundan*", "replicat*"),
        ("lost", "lose", "own copies", "recoverable"),
    ),
    Topic(
        "data_location",
        "data location",
        ("data location", "location of", "region", "data center", "datacenter", "data centre",
         "third country", "third countries", "international transfer", "transfer* of personal data",
         "standard contractual clauses", "adequacy", "localisation", "localization",
         "where personal data"),
        ("country", "countries", "territor*", "transfer*", "jurisdiction", "eea", "location",
         "outside the", "stored in", "hosted in", "relocat*"),
        ("where", "physically", "move our", "which country", "what country"),
    ),
    Topic(
        "data_privacy",
        "data privacy",
        ("privacy", "data subject", "consent", "lawful basis", "legal basis", "legal ground",
         "privacy notice", "privacy policy", "special categor*", "sensitive personal",
         "sensitive data", "health information", "protected health", "data protection law",
         "data minimi*", "rights of data subjects", "access request", "erasure request",
         "law enforcement", "government request", "legally binding request", "disclosure request"),
        ("personal data", "personal information", "gdpr", "controller", "processor",
         "processing", "data protection", "notice", "authorit*"),
        ("gdpr rights", "erase their", "see or erase", "end users", "patient", "court",
         "minimum necessary", "individuals"),
    ),
    Topic(
        "confidentiality",
        "confidentiality",
        ("confidential*", "non-disclosure", "nondisclosure", "trade secret", "publicity"),
        ("secret", "proprietary", "name or logo", "logo", "recipient", "publicly", "disclose*",
         "disclosure"),
        ("keep secret", "publicly name", "tell anyone"),
    ),
    Topic(
        "breach_notification",
        "breach notification",
        ("personal data breach*", "security breach*", "data breach*", "breach* of security",
         "security incident*", "incident*", "72 hours", "supervisory authorit*",
         "unauthori* access", "unauthori* use", "compromise*"),
        # A lone "breach" is mostly a breach of contract; "notify" is said of many things.
        ("breach*", "notify", "notifie*", "notification", "without undue delay", "regulator*",
         "inform", "report", "data subjects", "notice", "misuse", "suspect*"),
        ("tell us", "let us know", "hacked", "attackers", "get into", "got into",
         "getting into", "warn"),
    ),
    Topic(
        "encryption",
        "encryption",
        ("encrypt*", "cipher*", "cryptograph*", "tls", "ssl", "at rest", "in transit", "https",
         "aes", "key management", "encryption keys"),
        ("keys", "pseudonymi*", "hash*"),
        ("scrambled",),
    ),
    Topic(
        "access_control",
        "access control",
        ("password*", "credential*", "login", "log-in", "log in", "sign-in", "sign in",
         "authenticat*", "multi-factor", "two-factor", "mfa", "2fa", "api key", "api token",
         "access token", "access control", "username", "account security", "master password"),
        ("unauthori* use", "account", "access", "tokens", "secret"),
        ("logins", "sign-in details", "out of the wrong hands", "handed to"),
    ),
    Topic(
        "configuration",
        "configuration",
        ("configur*", "misconfigur*", "settings", "set up", "setup", "security settings"),
        ("options", "enable", "disable", "deploy*", "features"),
        ("set it up",),
    ),
    Topic(
        "third_party_integrations",
        "third-party services and subprocessors",
        ("subprocessor*", "sub-processor*", "subcontract*", "third-party service*",
         "third party service*", "integration*", "plug-in*", "plugin*", "add-on*",
         "non-provider", "third-party application*", "third party application*",
         "another processor", "third-party product*", "third party product*"),
        ("third party", "third-party", "third parties", "vendor*", "engage*", "links"),
        ("new subcontractor", "bringing in", "outside company"),
    ),
    Topic(
        "security_measures",
        "security measures",
        ("security measures", "technical and organi* measures", "security", "secure",
         "safeguard*", "firewall*", "physical security", "iso 27001", "soc 2", "security program",
         "information security", "security controls", "protect*"),
        ("measures", "risk*", "integrity", "resilien*"),
        ("keep our data secure", "securing", "safe"),
    ),
    Topic(
        "vulnerability_patching",
        "vulnerability patching",
        ("patch*", "vulnerabilit*", "security fix*", "security update*", "hotfix*",
         "operating system*", "firmware", "remediat*", "cve", "end of life", "end-of-life"),
        ("update*", "upgrade*", "runtime*", "os", "fix*", "software version*"),
        ("security fixes", "apply fixes", "os patches", "keep up to date"),
    ),
    Topic(
        "monitoring",
        "monitoring",
        ("monitor*", "logging", "audit log*", "alert*", "intrusion detection", "detect*",
         "log files", "event logs", "surveillance"),
        ("logs", "scan*", "observ*", "metrics", "track*"),
        ("watch", "keep an eye"),
    ),
    Topic(
        "customer_systems",
        "the customer's own systems",
        ("your systems", "customer systems", "own systems", "computer*", "devices", "device",
         "equipment", "malware", "virus*", "malicious code", "end-user devices",
         "internet connection", "local network", "customer's systems", "own software"),
        ("hardware", "software", "network", "systems", "harmful"),
        ("our computers", "our machines", "machine", "our own computers", "our network"),
    ),
    Topic(
        "platform_maintenance",
        "platform maintenance",
        ("maintenance", "maintain the platform", "maintain the service*", "infrastructure",
         "scheduled maintenance", "maintenance window", "operate the service*",
         "operation of the service*", "hosting environment", "servers"),
        ("platform", "hardware", "upgrade*", "operat*", "downtime"),
        ("keeps the platform running", "upkeep"),
    ),
    Topic(
        "availability",
        "availability",
        ("availability", "uptime", "service level*", "sla", "service credit*", "downtime",
         "outage*", "uninterrupted", "99.", "interruption*", "monthly uptime percentage"),
        ("available", "continuity", "unavailab*", "credits"),
        ("minimum uptime", "up and running", "goes down"),
    ),
    Topic(
        "support",
        "support",
        ("support", "technical support", "help desk", "helpdesk", "support ticket*",
         "response time*", "customer service", "support request*"),
        ("assistance", "ticket*", "respond*", "contact", "email", "phone", "chat", "inquir*",
         "questions"),
        ("technical help", "phone", "help", "answer our questions", "how quickly"),
    ),
    Topic(
        "user_management",
        "user management",
        ("users", "user account*", "authorized users", "authorised users", "end users",
         "provision*", "deprovision*", "administrator*", "seats", "sub-account*",
         "team members", "organization account", "members"),
        ("user", "admin", "employees", "staff", "personnel", "account*", "activit*",
         "actions"),
        ("adding and removing", "our staff", "people we've added", "under our organization"),
    ),
    Topic(
        "training",
        "training",
        ("training", "trained", "train", "awareness", "educat*"),
        # "documented instructions" is data-protection language, not training.
        ("instruct*", "personnel", "employees", "staff", "qualified", "competen*"),
        ("taught",),
    ),
    Topic(
        "legal_compliance",
        "legal and regulatory compliance",
        ("comply", "compliance", "complies", "applicable law*", "laws and regulations",
         "regulation*", "regulatory", "export control*", "sanctions", "trade control*", "hipaa",
         "legal requirements", "lawful*", "data protection law*", "privacy law*"),
        ("laws", "law", "legal", "statut*", "regulated", "suitab*", "requirements"),
        ("regulated information", "trade-control", "within the law", "rules"),
    ),
    Topic(
        "acceptable_use",
        "acceptable use",
        ("acceptable use", "prohibited", "misuse", "abuse", "restriction*", "reverse engineer*",
         "scrap*", "crawl*", "spider*", "robot*", "penetration test*", "vulnerability test*",
         "security test*", "spam", "unlawful purpose", "interfere*", "circumvent*",
         "use policy", "not permitted", "automated means"),
        ("illegal", "harmful", "excessive", "permission", "without authori*", "unauthori*"),
        ("allowed to", "is it okay", "okay to", "run our own", "point an automated"),
    ),
    Topic(
        "data_ownership",
        "data ownership",
        ("ownership", "owns", "owned", "owner", "intellectual property",
         "all right, title", "proprietary rights", "feedback", "suggestions", "retains all",
         "licen*"),
        ("rights", "own", "ip", "derivative", "title"),
        ("who owns", "belongs to"),
    ),
    Topic(
        "audits",
        "audits",
        ("audit*", "inspect*", "demonstrate compliance", "verify compliance", "auditor*",
         "on-site", "soc 2 report", "soc 1", "certification*", "compliance report*",
         "information necessary to demonstrate"),
        ("records", "reports", "verify", "examin*", "review"),
        ("check whether", "living up to", "verify its"),
    ),
    Topic(
        "data_deletion",
        "data deletion",
        ("delet*", "erase", "erasure", "destroy*", "destruction", "purg*", "wipe*",
         "return or delete", "return and delete", "retention period"),
        ("return of", "remov*", "retain*", "termination", "expiration", "export*", "retrieve",
         "retention"),
        ("get rid of", "what happens to", "once the contract ends", "close our account"),
    ),
    Topic(
        "suspension",
        "suspension",
        ("suspen*", "disable*", "deactivat*", "block*", "restrict access", "throttl*",
         "terminate access", "limit access", "restrict* your access", "restrict* the account"),
        ("limit*", "restrict*", "terminat*", "excessive"),
        ("cut off", "shut off", "freeze", "slow us down", "acts against the account",
         "without warning", "shut down"),
    ),
    Topic(
        "liability",
        "liability",
        ("liable", "liability", "indemnif*", "indemnit*", "defend", "hold harmless", "damages",
         "compensat*", "limitation of liability", "covered claims"),
        ("loss*", "claims", "claim", "costs", "fault", "bear*", "attorney*"),
        ("sues", "sue", "pays", "who pays", "bears the damage", "answers for", "covers the claim",
         "bears the loss", "lawyers"),
    ),
)

_BY_ID: dict[str, Topic] = {t.id: t for t in TOPICS}


def get_topic(topic_id: str) -> Topic:
    """The topic with this id; KeyError for an unknown id, which is a programming error."""
    return _BY_ID[topic_id]


def known_topics(topic_ids: list[str]) -> list[str]:
    """The ids among `topic_ids` that name a topic, in order; unknown ones are dropped with a
    warning (an answerer handed a stale id answers as if no topic had been read)."""
    known = [t for t in topic_ids if t in _BY_ID]
    if len(known) < len(topic_ids):
        logger.warning("unknown topic id ignored")
    return known


def _term_pattern(term: str) -> str:
    """Regex source for one term: word-bounded, spaces also matching hyphen or nothing."""
    prefix = term.endswith("*")
    body = term.rstrip("*")
    words = [re.escape(w) for w in re.split(r"[\s-]+", body) if w]
    core = r"[\s\-]?".join(words)
    start = r"\b" if body[:1].isalnum() else ""
    if prefix:
        return start + core + r"\w*"
    end = r"\b" if body[-1:].isalnum() else ""
    return start + core + _SUFFIX + end


@cache
def _compiled(term: str) -> re.Pattern[str]:
    return re.compile(_term_pattern(term), re.IGNORECASE)


def topic_terms(topic: str) -> list[str]:
    """Words that show a clause sentence is about `topic` (keywords first, then related)."""
    t = get_topic(topic)
    return [*t.keywords, *t.related]


@cache
def topic_regex(topic: str, include_related: bool = False) -> re.Pattern[str]:
    """One compiled pattern matching any of the topic's clause terms.

    Related words are off by default because they are common enough ("data", "account") that a
    sentence holding only them is rarely about the topic.
    """
    t = get_topic(topic)
    terms = [*t.keywords, *(t.related if include_related else ())]
    terms.sort(key=len, reverse=True)
    return re.compile("|".join(_term_pattern(x) for x in terms), re.IGNORECASE)


def topic_match_strength(text: str, topic: str) -> float:
    """How strongly `text` is about `topic`: keyword hits weigh 1, related hits 0.35.

    Counted per distinct term so a clause repeating one word does not outrank one that uses
    several of the topic's words.
    """
    t = get_topic(topic)
    score = 0.0
    for term in t.keywords:
        if _compiled(term).search(text):
            score += 1.0
    for term in t.related:
        if _compiled(term).search(text):
            score += _RELATED_HIT
    return score


def _question_scores(question: str) -> dict[str, float]:
    scores: dict[str, float] = {}
    for t in TOPICS:
        score = 0.0
        for terms, weight in (
            (t.keywords, _KEYWORD_WEIGHT),
            (t.cues, _CUE_WEIGHT),
            (t.related, _RELATED_WEIGHT),
        ):
            for term in terms:
                if _compiled(term).search(question):
                    score += weight
        if score > 0:
            scores[t.id] = score
    return scores


def detect_topics(question: str) -> list[str]:
    """Topic ids the question is about, best first; [] when no topic word occurs.

    Topics scoring under half of the best are dropped: a question is nearly always about one
    duty, and a long tail of weak topics would only widen what counts as relevant evidence.
    """
    scores = _question_scores(question)
    if not scores:
        logger.debug("no topic detected")
        return []
    order = {t.id: i for i, t in enumerate(TOPICS)}
    ranked = sorted(scores, key=lambda k: (-scores[k], order[k]))
    best = scores[ranked[0]]
    return [k for k in ranked if scores[k] >= _TOPIC_KEEP_SHARE * best]


def expand_query(question: str, topics: list[str], max_terms: int = 8) -> str:
    """The question followed by the topic's clause vocabulary, for lexical (BM25) retrieval.

    Questions use lay words that never occur in agreements; appending the topic's legal words
    lets BM25 reach the clauses. Only words not already in the question are added, first topic
    first, so the expansion never drowns the question.
    """
    lowered = question.lower()
    extra: list[str] = []
    for i, topic_id in enumerate(topics):
        if topic_id not in _BY_ID:
            continue
        budget = max_terms if i == 0 else max_terms // 2
        for term in get_topic(topic_id).keywords:
            if budget <= 0:
                break
            word = term.rstrip("*")
            if len(word) < 3 or word.lower() in lowered or word in extra:
                continue
            extra.append(word)
            budget -= 1
    return f"{question} {' '.join(extra)}".strip() if extra else question
