"""Regenerate the sample agreements in samples/ from their Markdown sources in samples_src/.

Run from the repository root:  .venv/bin/python samples/build.py [--out DIR]

Each source is rendered into exactly one deliverable format, so that the project is exercised
on a PDF, a DOCX and a Markdown file:

  harborstack_paas_terms.md          -> harborstack_paas_terms.pdf          (reportlab)
  lumenforge_platform_agreement.md   -> lumenforge_platform_agreement.docx  (python-docx)
  tideline_subscription_agreement.md -> tideline_subscription_agreement.md  (byte copy)

The output is deterministic: the PDF is written in reportlab's invariant mode (fixed dates and
document id), and the DOCX gets fixed core properties and fixed zip member timestamps, so an
unchanged source rebuilds to the same bytes and the Chroma index (ids derive from content) and
git stay quiet.

The Markdown dialect understood here is deliberately small: "# " title, "## " section heading,
"### " sub-section heading, blank-line separated paragraphs, and **bold** runs. Paragraphs are
never split across PDF pages, so a clause's text stays contiguous in extracted text.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import shutil
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "samples_src"

# name -> output format
TARGETS: dict[str, str] = {
    "harborstack_paas_terms": "pdf",
    "lumenforge_platform_agreement": "docx",
    "tideline_subscription_agreement": "md",
}

FIXED_DATETIME = dt.datetime(2025, 3, 1, 9, 0, 0)
FIXED_ZIP_TIME = (2025, 3, 1, 9, 0, 0)
AUTHOR = "agreements project (fictional sample)"

BOLD = re.compile(r"\*\*(.+?)\*\*")
SUBCLAUSE = re.compile(r"^\(([a-z]|[ivx]+)\)\s")


@dataclass(frozen=True)
class Block:
    kind: str  # "title" | "h1" | "h2" | "para"
    text: str  # inline Markdown (only **bold**)

    @property
    def is_subclause(self) -> bool:
        return self.kind == "para" and bool(SUBCLAUSE.match(self.text))


def parse(md: str) -> list[Block]:
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", md.strip()):
        lines = [ln.strip() for ln in chunk.splitlines() if ln.strip()]
        if not lines:
            continue
        first = lines[0]
        for prefix, kind in (("### ", "h2"), ("## ", "h1"), ("# ", "title")):
            if first.startswith(prefix):
                blocks.append(Block(kind, first[len(prefix) :].strip()))
                rest = " ".join(lines[1:])
                if rest:
                    blocks.append(Block("para", rest))
                break
        else:
            blocks.append(Block("para", " ".join(lines)))
    return blocks


def runs(text: str) -> Iterator[tuple[str, bool]]:
    """Split inline Markdown into (text, bold) runs."""
    pos = 0
    for m in BOLD.finditer(text):
        if m.start() > pos:
            yield text[pos : m.start()], False
        yield m.group(1), True
        pos = m.end()
    if pos < len(text):
        yield text[pos:], False


def title_of(blocks: list[Block]) -> str:
    return next((b.text for b in blocks if b.kind == "title"), "Agreement")


# --------------------------------------------------------------------------- PDF


def build_pdf(blocks: list[Block], out: Path) -> None:
    from reportlab.lib.enums import TA_CENTER, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

    title = title_of(blocks)
    # Hyphenation off everywhere: a hyphen inserted at a line break would break quote matching.
    common = {
        "fontName": "Helvetica",
        "hyphenationLang": "",
        "embeddedHyphenation": 0,
        "uriWasteReduce": 0,
        "splitLongWords": 0,
    }
    s_title = ParagraphStyle(
        "T", fontSize=17, leading=21, alignment=TA_CENTER, spaceAfter=6 * mm, **common
    )
    s_title.fontName = "Helvetica-Bold"
    s_h1 = ParagraphStyle(
        "H1", fontSize=12, leading=15, spaceBefore=5 * mm, spaceAfter=2 * mm, **common
    )
    s_h1.fontName = "Helvetica-Bold"
    s_h2 = ParagraphStyle(
        "H2", fontSize=10.5, leading=13, spaceBefore=3 * mm, spaceAfter=1 * mm, **common
    )
    s_h2.fontName = "Helvetica-Bold"
    s_body = ParagraphStyle(
        "B", fontSize=10, leading=13.5, alignment=TA_LEFT, spaceAfter=2.5 * mm, **common
    )
    s_sub = ParagraphStyle("S", parent=s_body, leftIndent=8 * mm)

    def markup(text: str) -> str:
        return "".join(f"<b>{escape(t)}</b>" if b else escape(t) for t, b in runs(text))

    story = []
    pending: list[Paragraph] = []  # headings wait for the paragraph they introduce
    for b in blocks:
        style = {"title": s_title, "h1": s_h1, "h2": s_h2}.get(b.kind)
        if style is not None:
            pending.append(Paragraph(markup(b.text), style))
            continue
        style = s_sub if b.is_subclause else s_body
        # KeepTogether: a paragraph that does not fit moves whole to the next page (with its
        # headings), so the page footer never lands inside a clause in extracted text.
        story.append(KeepTogether([*pending, Paragraph(markup(b.text), style)]))
        pending = []
    story.extend(pending)
    story.append(Spacer(1, 4 * mm))

    def footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"{title} - Page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=title,
        author=AUTHOR,
        subject="Fictional PaaS agreement written for the agreements project",
        creator="samples/build.py",
        invariant=1,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)


# --------------------------------------------------------------------------- DOCX


def build_docx(blocks: list[Block], out: Path) -> None:
    import docx
    from docx.shared import Mm, Pt

    document = docx.Document()
    for b in blocks:
        if b.kind == "title":
            document.add_heading(b.text, level=0)
        elif b.kind == "h1":
            document.add_heading(b.text, level=1)
        elif b.kind == "h2":
            document.add_heading(b.text, level=2)
        else:
            p = document.add_paragraph()
            for text, bold in runs(b.text):
                p.add_run(text).bold = bold or None
            if b.is_subclause:
                p.paragraph_format.left_indent = Mm(8)
            p.paragraph_format.space_after = Pt(6)

    cp = document.core_properties
    cp.title = title_of(blocks)
    cp.author = AUTHOR
    cp.last_modified_by = AUTHOR
    cp.subject = "Fictional PaaS agreement written for the agreements project"
    cp.comments = "Generated by samples/build.py"
    cp.created = FIXED_DATETIME
    cp.modified = FIXED_DATETIME
    cp.last_printed = FIXED_DATETIME
    cp.revision = 1

    buf = io.BytesIO()
    document.save(buf)
    out.write_bytes(_normalize_zip(buf.getvalue()))


def _normalize_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed member timestamps and attributes (python-docx stamps 'now')."""
    src = zipfile.ZipFile(io.BytesIO(data))
    dst_buf = io.BytesIO()
    with zipfile.ZipFile(dst_buf, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 3
            dst.writestr(zi, src.read(info.filename), compresslevel=9)
    return dst_buf.getvalue()


# --------------------------------------------------------------------------- main


def build(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, fmt in TARGETS.items():
        source = SRC / f"{name}.md"
        target = out_dir / f"{name}.{fmt}"
        tmp = target.with_name(target.name + ".tmp")
        try:
            if fmt == "md":
                shutil.copyfile(source, tmp)
            else:
                blocks = parse(source.read_text(encoding="utf-8"))
                (build_pdf if fmt == "pdf" else build_docx)(blocks, tmp)
            tmp.replace(target)  # never leave a half-written deliverable behind
        finally:
            tmp.unlink(missing_ok=True)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: samples/)")
    args = ap.parse_args(argv)
    for path in build(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
