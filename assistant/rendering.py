"""How an Answer is shown as text or JSON; shared by the CLI and the other front ends."""

from __future__ import annotations

import csv
import io
from typing import Any

from assistant.types import Answer, Citation, Matrix, Opinion

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


def answered_by(answer: Answer) -> str:
    """Who produced the answer, and what a second answerer thought: "answered by
    llm:gpt-4.1-mini; the learned judge disagrees (customer)", "answered by the learned judge
    (the model's answer was not used: it timed out)"."""
    judge = next((o for o in answer.opinions[1:] if o.verdict is not None), None)
    if answer.fallback:
        return f"answered by the {answer.answerer} judge (the model's answer was not used: " \
            f"{answer.fallback.removeprefix('the model ')})"
    if not answer.opinions:
        if answer.answerer.startswith("llm:"):
            return f"answered by {answer.answerer}"
        return f"answered by the {answer.answerer} judge"
    said = f"answered by {answer.answerer}"
    if judge is None:
        return said
    if answer.disagreement:
        label = VERDICT_LABELS[judge.verdict.value] if judge.verdict else "no verdict"
        return f"{said}; the {judge.answerer} judge disagrees ({label})"
    return f"{said}; the {judge.answerer} judge agrees"


def opinion_to_json(opinion: Opinion) -> dict[str, Any]:
    return {
        "answerer": opinion.answerer,
        "verdict": opinion.verdict.value if opinion.verdict else None,
        "citations": [citation_to_json(c) for c in opinion.citations],
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
        "understood": answer.understood,
        "answerer": answer.answerer,
        "fallback": answer.fallback,
        "disagreement": answer.disagreement,
        "opinions": [opinion_to_json(o) for o in answer.opinions],
        "by_agreement": [
            {
                "agreement": part.agreements[0] if part.agreements else None,
                "verdict": part.verdict.value,
                "answer": part.answer,
                "confidence": round(part.confidence, 3),
                "citations": [citation_to_json(c) for c in part.citations],
                "answerer": part.answerer,
                "fallback": part.fallback,
                "disagreement": part.disagreement,
            }
            for part in answer.by_agreement
        ],
    }


def render_answer(answer: Answer) -> str:
    if not answer.understood:
        return f"Not understood\n{answer.answer}"
    lines = [
        f"{VERDICT_LABELS[answer.verdict.value]} (confidence {answer.confidence:.2f}, "
        f"{answered_by(answer)})",
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


MATRIX_COLUMNS = ("topic", "agreement", "verdict", "section", "page", "confidence", "quote")


def matrix_rows(matrix: Matrix, gaps_only: bool = False) -> list[dict[str, Any]]:
    """One row per topic and agreement, topics in the matrix's order."""
    rows = []
    for topic, label in matrix.topics.items():
        if gaps_only and not matrix.is_gap(topic):
            continue
        for agreement in matrix.agreements:
            cell = matrix.cell(agreement, topic)
            if cell is None:
                continue
            rows.append(
                {
                    "topic": label,
                    "agreement": agreement,
                    "verdict": VERDICT_LABELS[cell.verdict.value],
                    "section": cell.section or "",
                    "page": cell.page or "",
                    "confidence": round(cell.confidence, 2),
                    "quote": cell.quote or "",
                }
            )
    return rows


def matrix_to_csv(matrix: Matrix, gaps_only: bool = False) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MATRIX_COLUMNS)
    writer.writeheader()
    writer.writerows(matrix_rows(matrix, gaps_only))
    return out.getvalue()


def matrix_to_xlsx(matrix: Matrix, gaps_only: bool = False) -> bytes:
    """A workbook: the grid (topic x agreement verdicts) and every cell with its quote."""
    from openpyxl import Workbook  # imported here: only the export needs it

    book = Workbook()
    grid = book.active
    grid.title = "Matrix"
    grid.append(["Topic", *matrix.agreements])
    for topic, label in matrix.topics.items():
        if gaps_only and not matrix.is_gap(topic):
            continue
        row: list[str] = [label]
        for agreement in matrix.agreements:
            cell = matrix.cell(agreement, topic)
            verdict = VERDICT_LABELS[cell.verdict.value] if cell else ""
            where = f" (§{cell.section})" if cell and cell.section else ""
            row.append(verdict + where)
        grid.append(row)
    details = book.create_sheet("Clauses")
    details.append([c.capitalize() for c in MATRIX_COLUMNS])
    for values in matrix_rows(matrix, gaps_only):
        details.append([values[c] for c in MATRIX_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()



def render_matrix(matrix: Matrix, gaps_only: bool = False) -> str:
    """The grid as aligned text: one line per topic, one column per agreement."""
    width = max((len(label) for label in matrix.topics.values()), default=5)
    header = "topic".ljust(width) + "".join(f"  {name[:28]:<28}" for name in matrix.agreements)
    lines = [header]
    for topic, label in matrix.topics.items():
        if gaps_only and not matrix.is_gap(topic):
            continue
        cells = []
        for agreement in matrix.agreements:
            cell = matrix.cell(agreement, topic)
            text = VERDICT_LABELS[cell.verdict.value] if cell else "-"
            if cell and cell.section:
                text += f" §{cell.section}"
            cells.append(f"  {text[:28]:<28}")
        lines.append(label.ljust(width) + "".join(cells))
    return "\n".join(lines)
