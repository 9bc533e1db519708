"""The answer sentence: the role, the topic, the source and its words, for a lawyer to read."""

from __future__ import annotations

from assistant.answering.weights import WEIGHTS as W
from assistant.types import Citation, Verdict


def place(agreement: str, section: str | None, titles: dict[str, str]) -> str:
    """Where in which agreement: "Acme Terms §3.4" (its title when known, else its name)."""
    where = titles.get(agreement) or agreement
    return f"{where} §{section}" if section else where


def _source(c: Citation, titles: dict[str, str]) -> str:
    where = place(c.agreement, c.section, titles)
    if c.page:
        where += f" (p. {c.page})"
    return where


def _short(quote: str) -> str:
    flat = " ".join(quote.split())
    if len(flat) <= W.quote_in_text:
        return flat
    cut = flat[: W.quote_in_text].rsplit(" ", 1)[0]
    return cut + " …"


def answer_text(
    verdict: Verdict,
    label: str,
    sides: list[Verdict],
    kind: str | None,
    citations: list[Citation],
    titles: dict[str, str],
    agreements: list[str],
) -> str:
    """One or two sentences for a lawyer: the role, the topic, the source and its words.

    `sides[i]` is the verdict citation i supports (for "shared": the provider's, the
    customer's or a mutual duty); `kind` is what the first citation states (duty, right,
    prohibition, disclaimer).
    """
    if verdict is Verdict.NOT_ADDRESSED or not citations:
        names = ", ".join(titles.get(a) or a for a in agreements) or "The agreement"
        closest = " The closest clauses are cited for reference." if citations else ""
        return (
            f"The agreement is silent on {label}: {names} does not allocate this duty to "
            f"either party.{closest}"
        )
    first, src = citations[0], _source(citations[0], titles)
    if verdict is Verdict.SHARED:
        if sides and sides[0] is Verdict.SHARED:
            return (
                f'Both parties hold a mutual duty on {label} under {src}: "{_short(first.quote)}"'
            )
        parts = []
        for side in (Verdict.PROVIDER, Verdict.CUSTOMER):
            for supported, c in zip(sides, citations, strict=False):
                if supported is side:
                    parts.append(
                        f'the {side.value} under {_source(c, titles)} ("{_short(c.quote)}")'
                    )
                    break
        return f"Both parties hold duties on {label}: " + "; ".join(parts) + "."
    role = verdict.value
    quote = _short(first.quote)
    if kind == "right":
        return f'The {role} holds the right at issue ({label}) under {src}: "{quote}"'
    if kind == "prohibition":
        return f'The duty ({label}) falls on the {role}, who must refrain under {src}: "{quote}"'
    if kind == "disclaimer":
        other = "provider" if role == "customer" else "customer"
        return f'The {role} bears {label}: the {other} disclaims it under {src}: "{quote}"'
    return f'The {role} is responsible for {label} under {src}: "{quote}"'
