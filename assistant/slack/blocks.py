"""Answers as Slack Block Kit: the verdict, the sentence, the confidence, the cited clauses."""

from __future__ import annotations

from typing import Any

from assistant.rendering import VERDICT_LABELS, answered_by
from assistant.types import Answer, FileResult, FileStatus, Matrix, Verdict

Block = dict[str, Any]
# Slack refuses a section over 3,000 characters and a message over 50 blocks.
_SECTION_LIMIT = 2900
_MAX_CITATIONS = 5
_EMOJI = {
    Verdict.CUSTOMER: ":large_blue_circle:",
    Verdict.PROVIDER: ":large_orange_circle:",
    Verdict.SHARED: ":purple_circle:",
    Verdict.NOT_ADDRESSED: ":white_circle:",
}


def escape_mrkdwn(text: str) -> str:
    """Text from an agreement or a model, made inert in Slack: `<!channel>`, `<@U123>` and
    `<https://evil|bank>` are markup only when `<` and `>` reach Slack unescaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(text: str) -> str:
    return text if len(text) <= _SECTION_LIMIT else text[: _SECTION_LIMIT - 1] + "…"


def _section(markdown: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _text(markdown)}}


def _context(markdown: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _text(markdown)}]}


def answer_blocks(answer: Answer, asked: str | None = None) -> list[Block]:
    if not answer.understood:
        return [_section(f":grey_question: {escape_mrkdwn(answer.answer)}")]
    label = VERDICT_LABELS[answer.verdict.value]
    blocks = [_section(f"{_EMOJI[answer.verdict]} *{label}*\n{escape_mrkdwn(answer.answer)}")]
    details = f"Confidence {answer.confidence:.2f} · {escape_mrkdwn(answered_by(answer))}"
    if asked and asked != answer.question:
        details += f" · asked as: {escape_mrkdwn(asked)}"
    elif asked:
        details += f" · asked as: {escape_mrkdwn(answer.question)}"
    blocks.append(_context(details))
    for part in answer.by_agreement:
        name = part.agreements[0] if part.agreements else "?"
        where = f" §{part.citations[0].section}" if part.citations and part.citations[0].section \
            and part.verdict is not Verdict.NOT_ADDRESSED else ""
        blocks.append(_context(
            f"{escape_mrkdwn(name)}: *{VERDICT_LABELS[part.verdict.value]}*{escape_mrkdwn(where)}"
        ))
    if answer.citations:
        blocks.append({"type": "divider"})
    for citation in answer.citations[:_MAX_CITATIONS]:
        quote = "\n".join(f"> {escape_mrkdwn(line)}" for line in citation.quote.splitlines())
        blocks.append(_section(quote))
        blocks.append(_context(escape_mrkdwn(citation.label())))
    return blocks


def answer_fallback(answer: Answer) -> str:
    """The notification text (and what clients without blocks show)."""
    if not answer.understood:
        return escape_mrkdwn(answer.answer)
    return f"{VERDICT_LABELS[answer.verdict.value]}: {escape_mrkdwn(answer.answer)}"


def ingest_text(result: FileResult) -> str:
    if result.status is FileStatus.FAILED:
        return f":warning: {escape_mrkdwn(result.error or '')}"
    name = escape_mrkdwn(result.name or result.source)
    return f"Added *{name}*: {result.chunks} clauses ({result.status.value})."


def matrix_text(matrix: Matrix) -> str:
    lines = []
    for topic, label in matrix.topics.items():
        cells = []
        for agreement in matrix.agreements:
            cell = matrix.cell(agreement, topic)
            if cell is None:
                continue
            where = f" §{cell.section}" if cell.section else ""
            cells.append(f"{VERDICT_LABELS[cell.verdict.value]}{where}")
        lines.append(f"{label}: " + " | ".join(cells))
    return "\n".join(lines)
