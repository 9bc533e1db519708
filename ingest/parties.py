"""How an agreement names its two parties.

Every answer speaks of "customer" and "provider", but agreements say "you"/"we", "Client",
"Subscriber", "data exporter", or the provider's own name ("OVH", "Bitwarden"). These
aliases are found once at ingest from the preamble and the definitions, by general rules:
role words the text uses as names, pronouns it uses as parties, terms defined together
with those, and the company a defined term stands for.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable

from ingest.types import PartyAliases

__all__ = [
    "CUSTOMER_ROLE_WORDS",
    "PROVIDER_ROLE_WORDS",
    "find_party_aliases",
    "provider_names",
]

logger = logging.getLogger(__name__)

# The one list of role words agreements use as the parties' names: found as aliases at ingest,
# assumed when an agreement's aliases are unknown, and recognised in questions.
CUSTOMER_ROLE_WORDS = ("Customer", "Client", "Subscriber", "Licensee", "Buyer")
PROVIDER_ROLE_WORDS = ("Service Provider", "Provider", "Supplier", "Vendor", "Licensor")
_CUSTOMER_PRONOUNS = ("you", "your", "yours")
_PROVIDER_PRONOUNS = ("we", "us", "our", "ours")
_SUFFIX = (
    r"(?:Inc|Incorporated|Ltd|Limited|LLC|L\.L\.C|SAS|S\.A\.S|S\.A|SA|AS|ASA|GmbH|AG|B\.V|BV"
    r"|N\.V|plc|PLC|Corp|Corporation|Oy|AB|SARL|Pty|LLP|SE|KG|S\.r\.l|SpA)\b\.?"
)
_COMPANY = re.compile(
    r"\b(?P<name>[A-Z0-9][\w&'\u2019.-]*(?:\s+[A-Z0-9][\w&'\u2019-]*){0,3}),?\s+" + _SUFFIX
)
_SUBJECT = re.compile(
    r"\b(?P<name>[A-Z][A-Za-z0-9]+(?: [A-Z][A-Za-z0-9]+)?)\s+"
    r"(?:will|shall|may|must|agrees|grants|reserves|provides|commits|guarantees|warrants|undertakes|maintains|uses|does|is|has|can|cannot)\b"
)
_NOT_NAMES = frozenset(
    {
        "This", "These", "The", "That", "It", "Each", "Either", "Neither", "Party", "Parties",
        "Agreement", "Service", "Services", "Data", "Section", "Clause", "Article", "You",
        "We", "If", "Any", "All", "Such", "No", "Nothing", "Notice", "Product", "Products",
        "Personal", "Processor", "Controller", "Subprocessor", "Sub-processor", "Website",
        "Content", "User", "Users", "Order", "Documentation", "Confidential", "Information",
        "DPA", "GDPR", "SLA", "Addendum", "Terms", "Policy", "Software", "Account", "Annex",
        "Schedule", "Appendix", "Exhibit", "There", "Where", "When", "Unless", "In", "For",
        "To", "Our", "Your", "Recipient", "Discloser", "Company", "Member", "Union", "EU",
        "Commission", "Regulation", "Law", "Laws", "State", "Court", "Clauses", "Module",
        *CUSTOMER_ROLE_WORDS, *PROVIDER_ROLE_WORDS,
    }
)


def _count(text: str, word: str, flags: int = 0) -> int:
    return len(re.findall(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, flags))


def _as_written(text: str, word: str) -> str:
    """The word in the case the text most often writes it."""
    forms = Counter(
        m.group(0) for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)
    )
    return forms.most_common(1)[0][0] if forms else word


def _same_definition(definitions: dict[str, str], anchors: set[str]) -> list[str]:
    """Terms defined by the same sentence as any anchor ('"Bitwarden", "We" ... refer to')."""
    lowered = {a.lower() for a in anchors}
    targets = {v for k, v in definitions.items() if k.lower() in lowered}
    return [k for k, v in definitions.items() if v in targets and k.lower() not in lowered]


def _role_sentence(text: str, names: list[str], role: str) -> str | None:
    """The role word as written when the text says one of `names` acts as that role."""
    if not names:
        return None
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    pattern = re.compile(
        rf"\b(?:{alts})\b[^.\n]{{0,80}}?\b(?:is|as|acts?|acting|be|being|deemed)\b[^.\n]{{0,40}}?"
        rf"[“\"]?\b({role})\b",
        re.IGNORECASE,
    )
    for m in pattern.finditer(text):
        found = m.group(1)
        if not found.lower().startswith("sub"):
            return found
    return None


def _company_core(name: str) -> str:
    return re.sub(r"^(?:the|by|and|between)\s+", "", name.strip(" ,"), flags=re.IGNORECASE)


def _provider_name(
    text: str, definitions: dict[str, str], customer: list[str], co_defined_we: list[str]
) -> tuple[str | None, list[str]]:
    """The provider's short name, and company names that stand for it."""
    customer_l = {c.lower() for c in customer}

    def usable(term: str) -> bool:
        return (
            term.lower() not in customer_l
            and term not in _NOT_NAMES
            and term.lower() not in _PROVIDER_PRONOUNS
            and term[:1].isupper() | term[:1].isdigit()
        )

    named = [t for t in co_defined_we if usable(t)]
    companies: list[str] = []
    if named:
        best = max(named, key=lambda t: _count(text, t))
        m = _COMPANY.search(definitions.get(best, ""))
        if m:
            companies.append(_company_core(m.group("name")))
        return best, companies

    defined: dict[str, str] = {}
    for term, definition in definitions.items():
        matches = list(_COMPANY.finditer(definition))
        if not matches or not usable(term) or len(term.split()) > 3:
            continue
        m = matches[-1]
        # The company must be what the term stands for: right before a parenthetical
        # ('Better Stack, Inc., a Delaware corporation ("Better Stack")'), or the object
        # of a 'means'/'refers to' sentence.
        if re.match(r"(?:means|refers?|shall mean)\b", definition) or (
            len(definition) - m.end() <= 40
        ):
            defined[term] = _company_core(m.group("name"))
    subjects: Counter[str] = Counter()
    for m in _SUBJECT.finditer(text):
        words = m.group("name").split()
        while words and not usable(words[0]):
            words = words[1:]  # "If GitHub will" -> "GitHub"
        if words and all(usable(w) for w in words):
            subjects[" ".join(words)] += 1
    if defined:
        # A defined company name wins unless another name acts far more often (a long
        # agreement quoting third parties' terms defines many companies).
        best = max(defined, key=lambda t: _count(text, t))
        top = subjects.most_common(1)
        if not top or _count(text, best) * 3 >= _count(text, top[0][0]):
            return best, [defined[best]]
    in_company = {
        _company_core(m.group("name")).split()[0] for m in _COMPANY.finditer(text)
    }
    ranked = sorted(
        subjects.items(), key=lambda kv: (kv[0] in in_company, kv[1]), reverse=True
    )
    for name, count in ranked:
        if count >= 3:
            names = [_company_core(m.group("name")) for m in _COMPANY.finditer(text)
                     if _company_core(m.group("name")).split()[0] == name]
            return name, names[:1]
    return None, []


def _add(target: list[str], word: str | None) -> None:
    if word and word.lower() not in {w.lower() for w in target}:
        target.append(word)


def find_party_aliases(text: str, definitions: dict[str, str]) -> PartyAliases:
    """The words an agreement uses for the customer and for the provider."""
    customer: list[str] = []
    provider: list[str] = []
    defined_l = {k.lower() for k in definitions}

    for word in CUSTOMER_ROLE_WORDS:
        if _count(text, word) >= 2 or (word.lower() in defined_l and _count(text, word) >= 1):
            _add(customer, word)
    for word in PROVIDER_ROLE_WORDS:
        if _count(text, word) >= 2 and not (word == "Provider" and "Service Provider" in provider
                                             and _count(text, "Provider") ==
                                             _count(text, "Service Provider")):
            _add(provider, word)

    you_uses = sum(_count(text, p, re.IGNORECASE) for p in _CUSTOMER_PRONOUNS)
    if you_uses >= 3 or defined_l & set(_CUSTOMER_PRONOUNS):
        for p in _CUSTOMER_PRONOUNS:
            if _count(text, p, re.IGNORECASE):
                _add(customer, p)
    we_uses = _count(text, "we", re.IGNORECASE) + _count(text, "our", re.IGNORECASE)
    if we_uses >= 3 or defined_l & set(_PROVIDER_PRONOUNS):
        for p in _PROVIDER_PRONOUNS:
            flags = 0 if p == "us" else re.IGNORECASE  # "US" is a country
            if _count(text, p, flags):
                _add(provider, p)

    # Terms defined together with a party word name that party ("The User", "Your").
    for term in _same_definition(definitions, set(customer)):
        if term.lower() not in _PROVIDER_PRONOUNS:
            _add(customer, term)
    co_defined_we = _same_definition(definitions, {"we", "us"})

    name, companies = _provider_name(text, definitions, customer, co_defined_we)
    _add(provider, name)
    for term in co_defined_we:
        if term.lower() not in {c.lower() for c in customer}:
            _add(provider, term)
    for company in companies:
        _add(provider, company)

    # Data-protection roles, when the text assigns them to the parties.
    controller = _role_sentence(text, customer, "controller")
    if controller:
        _add(customer, controller)
    processor = _role_sentence(text, [p for p in provider if p.lower() != "us"], "processor")
    if processor:
        _add(provider, processor)
    if re.search(r"\bdata exporter\b", text, re.I) and re.search(r"\bdata importer\b", text, re.I):
        _add(customer, _as_written(text, "data exporter"))
        _add(provider, _as_written(text, "data importer"))

    logger.debug("parties: customer=%s provider=%s name=%s", customer, provider, name)
    return PartyAliases(customer=customer, provider=provider, provider_name=name)


def provider_names(aliases: Iterable[PartyAliases]) -> list[str]:
    """The provider's proper names across agreements ("OVHcloud", "Bitwarden"), sorted:
    the words a question may use for the provider besides "the provider" or "they"."""
    names: set[str] = set()
    for a in aliases:
        names.update(w for w in a.provider if w[:1].isupper() and w.lower() not in {"we", "us"})
        if a.provider_name:
            names.add(a.provider_name)
    return sorted(names)
