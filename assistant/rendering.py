"""How an Answer is shown as text or JSON; shared by the CLI and the other front ends."""

from __future__ import annotations

from typing import Any

from assistant.types import Answer, Citation

VERDICT_LABELS = {
    "customer": "Customer",
    "provider": "Provider",
    "shared": "Shared",
    "not_addressed": "Not addressed",
}


def citation_to_json(citation: Citation) -> dict[str, Any]:
    return {
        "agreement": citation.agreement,
        "section": citation.section,
        "page": citation.page,
        "quote": citation.quote,
        "ocr": citation.ocr,
    }


def answer_to_json(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "verdict": answer.verdict.value,
        "answer": answer.answer,
        "confidence": round(answer.confidence, 3),
        "topic": answer.topic,
        "agreements": answer.agreements,
        "citations": [citation_to_json(c) for c in answer.citations],
        "by_agreement": [
            {
                "agreement": part.agreements[0] if part.agreements else None,
                "verdict": part.verdict.value,
                "answer": part.answer,
                "confidence": round(part.confidence, 3),
                "citations": [citation_to_json(c) for c in part.citations],
            }
            for part in answer.by_agreement
        ],
    }


def render_answer(answer: Answer) -> str:
    lines = [
        f"{VERDICT_LABELS[answer.verdict.value]} (confidence {answer.confidence:.2f})",
        answer.answer,
    ]
    for number, citation in enumerate(answer.citations, start=1):
        lines.append("")
        lines.append(f"[{number}] {citation.label()}")
        lines.append(f'    "{citation.quote}"')
    if answer.by_agreement:
        lines.append("")
        lines.append("By agreement:")
        for part in answer.by_agreement:
            name = part.agreements[0] if part.agreements else "?"
            source = f" ({part.citations[0].label()})" if part.citations else ""
            verdict = VERDICT_LABELS[part.verdict.value]
            lines.append(f"  {name}: {verdict}, confidence {part.confidence:.2f}{source}")
    return "\n".join(lines)
