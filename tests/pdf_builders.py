"""Small PDFs made for tests with reportlab: how real generators draw text, in miniature."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import Table, TableStyle

FONT, SIZE = "Helvetica", 11.0
TOP = 780.0
PITCH = 15.0


def write_lines(path: Path, pages: Sequence[Sequence[str]]) -> Path:
    """A PDF whose lines are drawn whole (with their space characters), one page per list."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for lines in pages:
        y = TOP
        for line in lines:
            pdf.setFont(FONT, SIZE)
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return path


def draw_words(pdf: canvas.Canvas, lines: Sequence[str], y: float, gap_em: float | None = None) -> float:
    """Draw each word with its own text operation and no space character, as Google Docs
    exports do; `gap_em` sets the gap between words (default: the font's own space)."""
    pdf.setFont(FONT, SIZE)
    gap = stringWidth(" ", FONT, SIZE) if gap_em is None else gap_em * SIZE
    for line in lines:
        if not line:  # an empty entry leaves a paragraph gap
            y -= 12
            continue
        x = 72.0
        for word in line.split():
            pdf.drawString(x, y, word)
            x += stringWidth(word, FONT, SIZE) + gap
        y -= PITCH
    return y


def write_word_by_word(path: Path, lines: Sequence[str], gap_em: float | None = None) -> Path:
    pdf = canvas.Canvas(str(path), pagesize=A4)
    draw_words(pdf, lines, TOP, gap_em)
    pdf.showPage()
    pdf.save()
    return path


def write_pieces(path: Path, lines: Sequence[Sequence[str]]) -> Path:
    """Each line drawn as the given pieces, each piece right where the previous one ends
    (what some generators do inside words: "Pro" + "cessing"); a piece's own spaces stay."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont(FONT, SIZE)
    y = TOP
    for pieces in lines:
        x = 72.0
        for piece in pieces:
            pdf.drawString(x, y, piece)
            x += stringWidth(piece, FONT, SIZE)
        y -= PITCH
    pdf.showPage()
    pdf.save()
    return path


def write_with_furniture(
    path: Path, bodies: Sequence[Sequence[str]], header: str, footer: str, title: str | None
) -> Path:
    """Pages with a running header and footer ("{n}" and "{total}" filled in) around their
    body lines; `title` is drawn large at the top of the first page."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    total = len(bodies)
    for number, lines in enumerate(bodies, start=1):
        pdf.setFont(FONT, 8)
        pdf.drawString(72, 810, header.format(n=number, total=total))
        pdf.drawString(72, 30, footer.format(n=number, total=total))
        y = TOP
        if title and number == 1:
            pdf.setFont("Helvetica-Bold", 18)
            pdf.drawString(72, y, title)
            y -= 30
        draw_words(pdf, lines, y)
        pdf.showPage()
    pdf.save()
    return path


def write_table(
    path: Path, before: str, rows: Sequence[Sequence[str]], after: str, word_by_word: bool
) -> Path:
    """A ruled table between two paragraphs; with `word_by_word` the text around it is drawn
    word by word (the cells are drawn by reportlab's table, one string per cell line)."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    if word_by_word:
        draw_words(pdf, [before], TOP)
    else:
        pdf.setFont(FONT, SIZE)
        pdf.drawString(72, TOP, before)
    table = Table([list(row) for row in rows], colWidths=[200, 90, 90])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("FONT", (0, 0), (-1, -1), FONT, 10),
                ("ALIGN", (1, 0), (-1, -1), "CENTER"),
            ]
        )
    )
    _, height = table.wrapOn(pdf, 400, 600)
    table.drawOn(pdf, 72, TOP - 20 - height)
    pdf.setFont(FONT, SIZE)
    pdf.drawString(72, TOP - 45 - height, after)
    pdf.showPage()
    pdf.save()
    return path
