"""Loaders for text, Markdown, HTML and DOCX, the dispatcher, and their error messages."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from assistant.errors import (
    CorruptDocumentError,
    DocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    UnsupportedFormatError,
)
from ingest.loaders import SUPPORTED_EXTENSIONS, load_document
from ingest.loaders.docx_numbering import format_number
from ingest.loaders.normalize import normalize_text

# --- dispatch --------------------------------------------------------------------------


def test_supported_extensions_cover_every_format() -> None:
    expected = {".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt", ".text"}
    assert set(SUPPORTED_EXTENSIONS) == expected


def test_unknown_extension_names_file_and_lists_supported(tmp_path: Path) -> None:
    path = tmp_path / "contract.rtf"
    path.write_text("{\\rtf1 hello}", encoding="utf-8")
    with pytest.raises(UnsupportedFormatError) as caught:
        load_document(path)
    message = str(caught.value)
    assert "contract.rtf" in message
    assert "'.rtf'" in message
    for extension in (".pdf", ".docx", ".html", ".md", ".txt"):
        assert extension in message


def test_missing_extension_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "README"
    path.write_text("text", encoding="utf-8")
    with pytest.raises(UnsupportedFormatError, match="no file extension") as caught:
        load_document(path)
    assert "README" in str(caught.value)


def test_extension_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "TERMS.TXT"
    path.write_text("1. Scope\nThe Provider hosts the Service.\n", encoding="utf-8")
    assert load_document(path).format == "txt"


def test_missing_file_is_a_document_error(tmp_path: Path) -> None:
    path = tmp_path / "absent.md"
    with pytest.raises(DocumentError, match="does not exist") as caught:
        load_document(path)
    assert "absent.md" in str(caught.value)


def test_folder_is_a_document_error(tmp_path: Path) -> None:
    path = tmp_path / "folder.md"
    path.mkdir()
    with pytest.raises(DocumentError, match="folder") as caught:
        load_document(path)
    assert "folder.md" in str(caught.value)


# --- normalization ---------------------------------------------------------------------


def test_normalize_unifies_line_ends_spaces_and_composition() -> None:
    raw = "A\r\nB\rC\u00a0D\x00E\x07F\tG\u200bH e\u0301 \ufb01"
    # NFC composes e + combining acute; a ligature is its letters ("conﬁguration" must match
    # "configuration"), while other compatibility forms stay as written (no NFKC).
    assert normalize_text(raw) == "A\nB\nC DEF\tGH \u00e9 fi"
    assert normalize_text("x\u00b2 \u2460") == "x\u00b2 \u2460"


# --- plain text and Markdown -----------------------------------------------------------


def test_text_is_kept_as_written_after_normalization(tmp_path: Path) -> None:
    path = tmp_path / "terms.txt"
    path.write_bytes("\ufeff1. Backups\r\nThe Customer\u00a0backs up data.\r\n".encode())
    doc = load_document(path)
    assert doc.format == "txt"
    assert doc.text == "1. Backups\nThe Customer backs up data.\n"
    assert doc.has_pages is False
    assert doc.page_starts == [0]
    assert doc.page_at(5) is None


def test_markdown_keeps_markup(tmp_path: Path) -> None:
    path = tmp_path / "terms.md"
    source = "# Terms\n\n## 4. Backups\n\n**Provider** shall back up *Customer Data*.\n"
    path.write_text(source, encoding="utf-8")
    doc = load_document(path)
    assert doc.format == "md"
    assert doc.text == source


def test_utf16_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "notepad.txt"
    path.write_bytes("Clause 1 \u2013 Fees".encode("utf-16"))
    assert load_document(path).text == "Clause 1 \u2013 Fees"


CLAUSE = (
    "7.2 The Customer\u2019s \u201cBackups\u201d are the Customer\u2019s duty; the Provider "
    "charges \u20ac10 per restore. Le Client est seul responsable de ses donn\u00e9es \u00e0 "
    "l\u2019\u00e9tranger. Gem\u00e4\u00df Anhang tr\u00e4gt der Kunde die Kosten."
)


@pytest.mark.parametrize("name", ["legacy.txt", "legacy.md"])
@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("cp1252", CLAUSE),
        ("latin-1", CLAUSE.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
         .replace("\u20ac", "EUR ")),
        ("utf-16-le", CLAUSE),  # no byte order mark: was read as UTF-8, NULs dropped
        ("utf-16-be", CLAUSE),
    ],
)  # fmt: skip
def test_text_in_other_encodings_is_read_right(
    tmp_path: Path, name: str, encoding: str, text: str
) -> None:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    assert load_document(path).text == text


@pytest.mark.parametrize("name", ["legacy.txt", "legacy.md"])
def test_bytes_no_encoding_reads_as_text_name_the_byte_and_offset(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"The Customer\x92s data " + bytes(range(128, 256)) * 8 + b"\x00\x01\x02")
    with pytest.raises(CorruptDocumentError) as caught:
        load_document(path)
    message = str(caught.value)
    assert name in message
    assert "is not UTF-8 text (byte 0x92 at offset 12)" in message


@pytest.mark.parametrize("name", ["empty.txt", "empty.md", "empty.html", "empty.docx"])
def test_zero_byte_file_is_empty(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(EmptyDocumentError, match="is empty") as caught:
        load_document(path)
    assert name in str(caught.value)


def test_whitespace_only_text_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n\t\r\n\u00a0\n", encoding="utf-8")
    with pytest.raises(EmptyDocumentError, match="is empty") as caught:
        load_document(path)
    assert "blank.txt" in str(caught.value)


# --- HTML ------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><title>Ignored title</title><style>p { color: red }</style>
<script>var tracking = "SCRIPT-TEXT";</script></head>
<body>
<header>SITE-BANNER</header>
<nav><a href="/">NAV-LINK</a></nav>
<article>
  <header><h1>Cloud Terms</h1></header>
  <h2>4. Backups</h2>
  <p>The   Provider shall <b>back up</b>
     Customer Data daily.<br>Copies are kept for 30 days.</p>
  <ol start="3"><li>First duty</li><li>Second duty</li></ol>
  <ul><li>A bullet</li></ul>
  <table>
    <tr><th>Duty</th><th>Party</th></tr>
    <tr><td><p>Backups</p></td><td>Customer</td></tr>
  </table>
  <h3>4.1 Restores</h3><div>Restores on request.</div>
</article>
<footer>FOOTER-TEXT</footer>
<script>SCRIPT-BODY()</script>
</body></html>
"""


def test_html_structure_becomes_lines(tmp_path: Path) -> None:
    path = tmp_path / "terms.html"
    path.write_text(PAGE, encoding="utf-8")
    doc = load_document(path)
    assert doc.format == "html"
    lines = doc.text.split("\n")
    assert lines[0] == "# Cloud Terms"
    assert "## 4. Backups" in lines
    assert "### 4.1 Restores" in lines
    assert "The Provider shall back up Customer Data daily." in lines
    assert "Copies are kept for 30 days." in lines
    assert "3. First duty" in lines
    assert "4. Second duty" in lines
    assert "- A bullet" in lines
    assert "Duty | Party" in lines
    assert "Backups | Customer" in lines
    assert "Restores on request." in lines
    for chrome in ("SCRIPT", "SITE-BANNER", "NAV-LINK", "FOOTER-TEXT", "color: red", "Ignored"):
        assert chrome not in doc.text
    # Headings and paragraphs are separated by a blank line, list items are not.
    assert "## 4. Backups\n\nThe Provider" in doc.text
    assert "3. First duty\n4. Second duty" in doc.text


def test_htm_extension_and_declared_charset(tmp_path: Path) -> None:
    path = tmp_path / "legacy.htm"
    markup = '<html><head><meta charset="windows-1252"></head><body><p>Customer\x92s data</p>'
    path.write_bytes(markup.encode("latin-1"))
    assert load_document(path).text == "Customer\u2019s data"


def test_html_not_utf8_without_declared_charset_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "legacy.html"
    path.write_bytes(f"<p>{CLAUSE}</p>".encode("cp1252"))
    assert load_document(path).text == CLAUSE


def test_html_with_only_chrome_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "chrome.html"
    path.write_text("<html><body><nav>Home</nav><script>x()</script></body></html>", "utf-8")
    with pytest.raises(EmptyDocumentError) as caught:
        load_document(path)
    assert "chrome.html" in str(caught.value)


# --- DOCX ------------------------------------------------------------------------------


def test_docx_paragraphs_tables_and_list_numbers_in_body_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Cloud Services Agreement", level=1)
    document.add_paragraph("7.2 Literal numbers stay as written.")
    document.add_paragraph("Backups", style="List Number")
    document.add_paragraph("Security", style="List Number")
    document.add_paragraph("Support", style="List Number")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Duty"
    table.cell(0, 1).text = "Party"
    table.cell(1, 0).text = "Backups"
    table.cell(1, 1).text = "Customer"
    document.add_paragraph("After the table.")
    path = tmp_path / "agreement.docx"
    document.save(str(path))

    doc = load_document(path)
    assert doc.format == "docx"
    assert doc.has_pages is False
    assert doc.text.split("\n") == [
        "Cloud Services Agreement",
        "7.2 Literal numbers stay as written.",
        "1. Backups",
        "2. Security",
        "3. Support",
        "| Duty | Party |",
        "| Backups | Customer |",
        "After the table.",
    ]


def _add_outline_numbering(document: docx.document.Document) -> str:
    """A two-level "1." / "1.1" list like agreements use for sections; returns its numId."""
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1.%2"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
        '<w:lvlText w:val="(%3)"/></w:lvl>'
        "</w:abstractNum>"
    )
    numbering.insert(0, abstract)  # abstractNum elements must precede num elements
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    return "90"


def _numbered(document: docx.document.Document, text: str, num_id: str, level: int) -> None:
    paragraph = document.add_paragraph(text)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
            f'<w:numId w:val="{num_id}"/></w:numPr>'
        )
    )


def test_docx_multilevel_automatic_numbers_are_restored(tmp_path: Path) -> None:
    document = docx.Document()
    num_id = _add_outline_numbering(document)
    _numbered(document, "Services", num_id, 0)
    _numbered(document, "Provider hosts the Service.", num_id, 1)
    _numbered(document, "Provider backs up data.", num_id, 1)
    _numbered(document, "daily;", num_id, 2)
    _numbered(document, "weekly.", num_id, 2)
    document.add_paragraph("An unnumbered note.")
    _numbered(document, "Fees", num_id, 0)
    _numbered(document, "Customer pays monthly.", num_id, 1)
    path = tmp_path / "outline.docx"
    document.save(str(path))

    assert load_document(path).text.split("\n") == [
        "1. Services",
        "1.1 Provider hosts the Service.",
        "1.2 Provider backs up data.",
        "(a) daily;",
        "(b) weekly.",
        "An unnumbered note.",
        "2. Fees",
        "2.1 Customer pays monthly.",
    ]


def test_docx_content_controls_and_merged_cells(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "Responsibility matrix"
    for column, text in enumerate(["Backups", "Customer", "Provider"]):
        table.cell(1, column).text = text
    body = document.element.body
    sdt = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p><w:r><w:t>Inside a content control</w:t>"
        "</w:r></w:p></w:sdtContent></w:sdt>"
    )
    body.insert(0, sdt)
    path = tmp_path / "controls.docx"
    document.save(str(path))

    assert load_document(path).text.split("\n") == [
        "Inside a content control",
        "| Responsibility matrix |",
        "| Backups | Customer | Provider |",
    ]


def test_format_number_word_formats() -> None:
    assert format_number(3, "decimal") == "3"
    assert format_number(3, "decimalZero") == "03"
    assert format_number(2, "lowerLetter") == "b"
    assert format_number(28, "upperLetter") == "BB"
    assert format_number(14, "lowerRoman") == "xiv"
    assert format_number(1999, "upperRoman") == "MCMXCIX"
    assert format_number(5, "someUnknownFormat") == "5"


def test_random_bytes_docx_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"this is not a zip archive at all" * 10)
    with pytest.raises(CorruptDocumentError, match="is not a valid DOCX") as caught:
        load_document(path)
    assert "broken.docx" in str(caught.value)


def test_zip_that_is_not_a_word_document_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(CorruptDocumentError, match="is not a valid DOCX") as caught:
        load_document(path)
    assert "archive.docx" in str(caught.value)


def test_truncated_docx_is_corrupt(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("The Provider shall back up Customer Data.")
    whole = tmp_path / "whole.docx"
    document.save(str(whole))
    path = tmp_path / "truncated.docx"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(CorruptDocumentError, match="is not a valid DOCX") as caught:
        load_document(path)
    assert "truncated.docx" in str(caught.value)


def test_password_protected_docx_is_encrypted(tmp_path: Path) -> None:
    # Word stores a protected DOCX as an OLE compound file holding an EncryptedPackage stream.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    path = tmp_path / "locked.docx"
    path.write_bytes(ole + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512)
    with pytest.raises(EncryptedDocumentError, match="password-protected") as caught:
        load_document(path)
    assert "locked.docx" in str(caught.value)


def test_old_word_file_renamed_docx_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    with pytest.raises(CorruptDocumentError, match="Word 97-2003") as caught:
        load_document(path)
    assert "old.docx" in str(caught.value)


def test_docx_without_text_is_empty(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("")
    document.add_paragraph("   ")
    path = tmp_path / "blank.docx"
    document.save(str(path))
    with pytest.raises(EmptyDocumentError) as caught:
        load_document(path)
    assert "blank.docx" in str(caught.value)


def test_docx_heading_style_numbering_comes_from_style(tmp_path: Path) -> None:
    """Numbers attached to a paragraph style (not the paragraph) are found via the style."""
    document = docx.Document()
    num_id = _add_outline_numbering(document)
    style = document.styles["Heading 2"].element
    ppr = style.find(qn("w:pPr"))
    if ppr is None:
        ppr = parse_xml(f"<w:pPr {nsdecls('w')}/>")
        style.append(ppr)
    ppr.insert(0, parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="{num_id}"/></w:numPr>'))
    document.add_heading("Scope", level=2)
    document.add_paragraph("Body text.")
    document.add_heading("Backups", level=2)
    path = tmp_path / "styled.docx"
    document.save(str(path))
    assert load_document(path).text.split("\n") == ["1. Scope", "Body text.", "2. Backups"]
