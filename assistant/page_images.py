"""A cited PDF page as an image, with the quoted words highlighted from the PDF's positions.

The quote comes from the agreement's normalized text, which differs from the page's own text
stream in spacing, hyphenation at line ends and punctuation. So both are reduced to their
letters and digits, the quote is found in the page's, and each of its characters maps back to
a character box. A quote that runs onto the next page is highlighted as far as this page has
it; one whose words cannot be found (a scan with no text layer) gives the page unmarked.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from assistant.errors import AgreementsError

# 2x the PDF's 72 dpi: legible clause text without multi-megabyte images.
_SCALE = 2.0
_HIGHLIGHT = (255, 214, 0, 96)
# Shorter matches than this are too likely to land on the wrong words.
_MIN_MATCH = 16
_LINE_TOLERANCE = 3.0  # points: characters whose baselines differ less share a line box


@dataclass(frozen=True)
class Box:
    left: float
    bottom: float
    right: float
    top: float


def render_page(path: Path, page: int, quotes: list[str]) -> tuple[bytes, bool]:
    """PNG of 1-based `page` of the PDF at `path`, and whether any quote was highlighted."""
    try:
        document = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as exc:
        raise AgreementsError(f"{path.name}: the PDF cannot be opened to show page {page}") from exc
    try:
        if not 1 <= page <= len(document):
            raise AgreementsError(f"{path.name} has no page {page}")
        pdf_page = document[page - 1]
        boxes = [box for quote in quotes for box in quote_boxes(pdf_page, quote)]
        image = pdf_page.render(scale=_SCALE).to_pil().convert("RGBA")
        height = pdf_page.get_height()
    finally:
        document.close()
    if boxes:
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        for box in boxes:
            draw.rectangle(
                (
                    box.left * _SCALE - 1,
                    (height - box.top) * _SCALE - 1,
                    box.right * _SCALE + 1,
                    (height - box.bottom) * _SCALE + 1,
                ),
                fill=_HIGHLIGHT,
            )
        image = Image.alpha_composite(image, overlay)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue(), bool(boxes)


def quote_boxes(page: pdfium.PdfPage, quote: str) -> list[Box]:
    """One box per line the quote's characters cover on `page` (none if not found)."""
    text_page = page.get_textpage()
    try:
        count = text_page.count_chars()
        letters, positions = _letters([text_page.get_text_range(i, 1) for i in range(count)])
        wanted, _ = _letters(list(quote))
        span = _find(letters, wanted)
        if span is None:
            return []
        chars = positions[span[0] : span[1]]
        return _line_boxes([Box(*text_page.get_charbox(i)) for i in chars])
    finally:
        text_page.close()


def _letters(chars: list[str]) -> tuple[str, list[int]]:
    """The lower-cased letters and digits of `chars`, with the index each came from."""
    kept: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(chars):
        for letter in char.casefold():
            if letter.isalnum():
                kept.append(letter)
                positions.append(index)
    return "".join(kept), positions


def _find(text: str, wanted: str) -> tuple[int, int] | None:
    """Where `wanted` is in `text`; else its longest start or end found there (a quote
    running onto the next page, or a word the PDF breaks differently)."""
    if len(wanted) < _MIN_MATCH // 2:
        return None
    at = text.find(wanted)
    if at >= 0:
        return at, at + len(wanted)
    for length in range(len(wanted) - 1, _MIN_MATCH - 1, -max(1, len(wanted) // 20)):
        at = text.find(wanted[:length])
        if at >= 0:
            return at, at + length
        at = text.find(wanted[-length:])
        if at >= 0:
            return at, at + length
    return None


def _line_boxes(boxes: list[Box]) -> list[Box]:
    lines: list[Box] = []
    for box in boxes:
        last = lines[-1] if lines else None
        if last and abs(last.bottom - box.bottom) < _LINE_TOLERANCE and box.left >= last.left:
            lines[-1] = Box(last.left, min(last.bottom, box.bottom), max(last.right, box.right),
                            max(last.top, box.top))
        else:
            lines.append(box)
    return lines
