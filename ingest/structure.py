"""The clauses of an agreement: numbered or headed units, located in the extracted text.

Answers cite "§7.3, p. 4", so every clause keeps its section reference as the agreement
writes it, the headings above it and its exact character span. Agreements arrive as
markdown (headings, ordered lists, bold numbers) or as PDF text (bare "4.2 Backups" lines
and wrapped paragraphs), so the parser reads line starts rather than markdown syntax alone.

Rules, in the order they are applied to each line:
- Markdown headings (#, setext underlines, <h1>), bold-only lines and ALL-CAPS lines are
  headings. A heading is never a clause by itself: its text opens the clause that follows
  and its title joins that clause's heading_path.
- A line opening with numbering ("4.", "4.2", "(a)", "a)", "(iv)", "1)", "B.", "Article 4",
  "Clause 12.2", "Annex II", ...) opens a numbered item. A short title-like item with no
  text of its own ("12. Audits") acts as a heading that numbers what follows it.
- Numbering is believed only when it continues a sequence: the first value ("1", "a",
  "i"), or one to three past the previous sibling. This keeps "(30) days" or a wrapped
  "2021." in PDF text from becoming sections.
- References: "(a)" under "8" is "8(a)"; a single number under a numbered parent is
  "<parent>.<n>" (list item 2 under "5. Security" is "5.2") unless the agreement already
  has an explicit "5.2" elsewhere, in which case it keeps the parent's "5". Divisions
  ("Part 2", "Chapter 1", "SECTION II") never prefix what they contain.
- Bullets, table blocks and paragraphs are clauses numbered by the innermost open item.
  Text before the first heading or number is one preamble clause with no section.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from ingest.markers import (
    ATTACHMENT_KEYWORDS,
    DIVISION_KEYWORDS,
    Marker,
    clean_inline,
    parse_marker,
)
from ingest.types import Clause, LoadedDocument

__all__ = ["find_clauses"]

logger = logging.getLogger(__name__)

_ATX = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_HTML_HEADING = re.compile(r"\s*(?:<[^>]+>\s*)*<h([1-6])[^>]*>(.*?)</h\1>", re.IGNORECASE)
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_BULLET = re.compile(r"[ \t]*(?:[-*+•▪◦][ \t]+|<li\b)")
_TABLE_SEPARATOR = re.compile(r"\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_FENCE = re.compile(r"\s*(```|~~~)")
_TERMINAL_END = re.compile(r"""[.!?:;][)"'”\u2019*_\]]*\s*$""")
_EMPHASIZED = re.compile(r"(?:\*\*|__|\*(?!\s)|_)(.+?)(?:\*\*|__|\*|_)[ \t]*:?")
_TITLE_START = re.compile(r"""[\s*_]*[A-Z0-9“"\u2018'\[(]""")

_KIND_RANK = {
    "dec1": 1, "dec2": 2, "dec3": 3, "dec4": 4, "dec5": 5, "A.": 6, "I.": 6, "a.": 7,
    "(1)": 8, "1)": 8, "(a)": 9, "a)": 9, "(A)": 9, "(i)": 10, "i)": 10, "(I)": 10,
}
_PAREN_KINDS = frozenset({"(1)", "1)", "(a)", "a)", "(A)", "(i)", "i)", "(I)"})
# Written "a." in lists but cited as "2.1(a)", like the parenthesised kinds.
_CITED_IN_PARENS = _PAREN_KINDS | {"a.", "i."}


@dataclass
class _Line:
    start: int
    end: int
    raw: str

    @property
    def indent(self) -> int:
        return len(self.raw.expandtabs(4)) - len(self.raw.expandtabs(4).lstrip())

    @property
    def body(self) -> str:
        return self.raw.strip()


@dataclass
class _Node:
    """An open heading or numbered item; the stack of them is the current position."""

    kind: str  # "atx", "label", a marker kind ("dec1", "(a)", ...) or "kw:<keyword>"
    value: int = 0
    indent: int = 0
    ref: str | None = None
    title: str | None = None
    level: int = 99  # markdown heading level; items and labels sit below every heading
    heading: bool = False
    division: bool = False
    attachment: bool = False
    serial: int = 0

    @property
    def is_item(self) -> bool:
        return self.kind not in ("atx", "label")


@dataclass
class _Open:
    start: int
    section: str | None
    heading_path: list[str]
    preamble: bool = False


@dataclass
class _Builder:
    doc: LoadedDocument
    lines: list[_Line]
    explicit: set[str] = field(default_factory=set)
    stack: list[_Node] = field(default_factory=list)
    last_values: dict[tuple[str, int, int], int] = field(default_factory=dict)
    clauses: list[Clause] = field(default_factory=list)
    current: _Open | None = None
    pending: int | None = None  # start of headings waiting for their first clause
    awaiting_title: _Node | None = None
    serial: int = 0
    in_table: bool = False
    prev_event: str = "none"

    # ----------------------------------------------------------------- clause bookkeeping
    def close(self, end: int) -> None:
        if self.current is None:
            return
        start = self.current.start
        text = self.doc.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            self.clauses.append(
                Clause(
                    section=self.current.section,
                    heading_path=self.current.heading_path,
                    text=text[start:end],
                    start=start,
                    end=end,
                    page_start=self.doc.page_at(start),
                    page_end=self.doc.page_at(end - 1),
                )
            )
        self.current = None

    def open_clause(self, line: _Line) -> None:
        self.close(line.start)
        start = self.pending if self.pending is not None else line.start
        self.pending = None
        self.current = _Open(start, self.section(), self.heading_path())

    def heading_seen(self, line: _Line) -> None:
        if self.current is not None and self.current.preamble:
            self.close(line.start)
        self.close(line.start)
        if self.pending is None:
            self.pending = line.start

    def section(self) -> str | None:
        for node in reversed(self.stack):
            if node.ref is not None:
                return node.ref
        return None

    def heading_path(self) -> list[str]:
        return [n.title for n in self.stack if n.title and (n.heading or not n.is_item)]

    # ------------------------------------------------------------------------ the stack
    def push(self, node: _Node) -> None:
        self.serial += 1
        node.serial = self.serial
        self.stack.append(node)

    def numbered_parent(self) -> _Node | None:
        for node in reversed(self.stack):
            if node.ref is not None:
                return node
        return None

    def sequence_key(self, kind: str, indent: int) -> tuple[str, int, int]:
        parent = self.numbered_parent()
        return (kind, indent // 2, parent.serial if parent else 0)

    def find_sibling(self, kind: str, indent: int) -> _Node | None:
        for node in reversed(self.stack):
            if node.kind == kind and abs(node.indent - indent) <= 1:
                return node
            if node.kind == "atx" or node.attachment or node.division:
                return None
        return None

    def pop_through(self, node: _Node) -> None:
        while self.stack:
            if self.stack.pop() is node:
                return

    def pop_for_rank(self, kind: str, indent: int) -> None:
        rank = _KIND_RANK.get(kind, 0)
        while self.stack:
            top = self.stack[-1]
            if not top.is_item and top.kind != "label":
                return
            if top.kind == "label":
                if kind.startswith("dec") or kind.startswith("kw:"):
                    self.stack.pop()
                    continue
                return
            if top.kind.startswith("kw:"):
                if kind.startswith("kw:"):
                    self.stack.pop()
                    continue
                return
            if top.indent > indent or (
                top.indent >= indent - 1 and _KIND_RANK.get(top.kind, 0) >= rank
            ):
                self.stack.pop()
                continue
            return

    def make_ref(self, marker: Marker, kind: str) -> str:
        if marker.keyword is not None or (kind not in _PAREN_KINDS and len(marker.dotted) > 1):
            return marker.label
        parent = self.numbered_parent()
        if kind in _CITED_IN_PARENS:
            piece = f"({marker.label})"
            return parent.ref + piece if parent and parent.ref and not parent.division else piece
        if parent is None or parent.ref is None or parent.division:
            return marker.label
        qualified = f"{parent.ref}.{marker.label}"
        return parent.ref if qualified in self.explicit else qualified

    def place_item(self, marker: Marker, indent: int, heading: bool) -> _Node | None:
        """Push the item the marker opens, or None when its numbering is not believable."""
        if marker.keyword is not None:
            if not heading and not marker.separated:
                return None  # "Clause 6 Description ... is replaced": a sentence about it
            kind, value = marker.kinds[0]
            if marker.keyword in ATTACHMENT_KEYWORDS or marker.keyword in DIVISION_KEYWORDS or (
                marker.keyword == "section" and not marker.dotted
            ):
                while self.stack and self.stack[-1].kind != "atx":
                    self.stack.pop()
            else:
                sibling = self.find_sibling(kind, indent)
                if sibling is not None:
                    self.pop_through(sibling)
                else:
                    self.pop_for_rank(kind, indent)
            return self.push_item(marker, kind, value, indent, heading)

        if len(marker.dotted) > 1:
            kind, value = marker.kinds[0]
            self.pop_for_rank(kind, indent)
            return self.push_item(marker, kind, value, indent, heading)

        if marker.bare and not heading:
            return None
        for kind, value in marker.kinds:
            sibling = self.find_sibling(kind, indent)
            if sibling is None or not (sibling.value < value <= sibling.value + 3):
                continue
            self.pop_through(sibling)
            return self.push_item(marker, kind, value, indent, heading)
        for kind, value in marker.kinds:
            last = self.last_values.get(self.sequence_key(kind, indent))
            # A title line may open a sequence anywhere (an excerpt starting at "4. FEES");
            # a line with text must start at the first value or continue a sequence.
            opens = value == 1 or (last is None and heading)
            if not opens and not (last is not None and last < value <= last + 3):
                continue
            if value == 1 and kind in _PAREN_KINDS:
                sibling = self.find_sibling(kind, indent)
                if sibling is not None:  # a second list restarting under the same item
                    self.pop_through(sibling)
                    return self.push_item(marker, kind, value, indent, heading)
            self.pop_for_rank(kind, indent) if value != 1 or kind in _PAREN_KINDS else (
                self.pop_deeper(indent)
            )
            return self.push_item(marker, kind, value, indent, heading)
        return None

    def pop_deeper(self, indent: int) -> None:
        """A new first-of-sequence number nests under what is open at its own indent."""
        while self.stack and self.stack[-1].is_item and self.stack[-1].indent > indent:
            self.stack.pop()
        while (
            self.stack
            and self.stack[-1].kind in _PAREN_KINDS
            and not self.stack[-1].heading
            and self.stack[-1].indent >= indent
        ):
            self.stack.pop()

    def push_item(
        self, marker: Marker, kind: str, value: int, indent: int, heading: bool
    ) -> _Node:
        keyword = marker.keyword
        node = _Node(
            kind=kind,
            value=value,
            indent=indent,
            ref=self.make_ref(marker, kind),
            heading=heading,
            division=bool(
                keyword in DIVISION_KEYWORDS or (keyword == "section" and not marker.dotted)
            ),
            attachment=keyword in ATTACHMENT_KEYWORDS,
        )
        if heading:
            node.title = clean_inline(marker.rest).rstrip(".:") or marker.label
        self.last_values[self.sequence_key(kind, indent)] = value
        self.push(node)
        return node

    # -------------------------------------------------------------------- line handlers
    def on_heading(self, line: _Line, level: int, title: str) -> None:
        if self.awaiting_title is not None and parse_marker(clean_inline(title)) is None:
            self.awaiting_title.title = clean_inline(title) or self.awaiting_title.title
            self.awaiting_title = None
            return
        self.heading_seen(line)
        while self.stack and not (self.stack[-1].kind == "atx" and self.stack[-1].level < level):
            self.stack.pop()
        cleaned = clean_inline(title)
        marker = parse_marker(cleaned)
        node = _Node(kind="atx", level=level, title=cleaned, heading=True)
        if marker is not None and (marker.keyword or marker.dotted or marker.rest):
            kind = marker.kinds[0][0]
            node.ref = marker.label if kind not in _PAREN_KINDS else f"({marker.label})"
            node.title = clean_inline(marker.rest) or marker.label
            node.division = bool(
                marker.keyword in DIVISION_KEYWORDS
                or (marker.keyword == "section" and not marker.dotted)
            )
            node.attachment = marker.keyword in ATTACHMENT_KEYWORDS
            self.awaiting_title = node if not marker.rest else None
        else:
            self.awaiting_title = None
        self.push(node)

    def on_label(self, line: _Line, title: str) -> None:
        if self.awaiting_title is not None:
            self.awaiting_title.title = title
            self.awaiting_title = None
            return
        self.heading_seen(line)
        while self.stack and (
            self.stack[-1].kind == "label"
            or (self.stack[-1].is_item and not self.stack[-1].heading)
        ):
            self.stack.pop()
        self.push(_Node(kind="label", title=title, heading=True))

    def on_item(self, line: _Line, marker: Marker, heading: bool) -> bool:
        node = self.place_item(marker, line.indent, heading)
        if node is None:
            return False
        if heading:
            self.heading_seen(line)
            self.awaiting_title = node if not marker.rest else None
        else:
            self.awaiting_title = None
            self.open_clause(line)
        return True

    def on_content(self, line: _Line, paragraph: bool) -> None:
        self.awaiting_title = None
        if paragraph:
            # A plain paragraph closes the deeper items it is not indented under.
            self.pop_deeper(line.indent)
        self.open_clause(line)

    # --------------------------------------------------------------------- the scan
    def heading_only(self, idx: int, marker: Marker) -> bool:
        """Whether a numbered line is a title for what follows rather than text itself."""
        rest = clean_inline(marker.rest)
        if not rest:
            return True
        words = rest.split()
        if len(words) > 12 or len(rest) > 120 or not _TITLE_START.match(rest):
            return False
        if rest.endswith((",", ";")) or re.search(r"[.:;]\s", rest):
            return False  # a title followed by its text on the same line: "Fees. Customer ..."
        if rest.endswith((".", ":")) and len(words) > 3:
            return False
        nxt = self.neighbour(idx, +1)
        if nxt is not None and nxt.body[:1].islower():
            return False
        indent = self.lines[idx].indent
        for other in (self.neighbour(idx, -1), nxt):
            if other is None or abs(other.indent - indent) > 1:
                continue
            om = parse_marker(other.body)
            if om is not None and {k for k, _ in om.kinds} & {k for k, _ in marker.kinds}:
                return False  # a list of short items, not a title
        return True

    def neighbour(self, idx: int, step: int) -> _Line | None:
        j = idx + step
        while 0 <= j < len(self.lines):
            if self.lines[j].body:
                return self.lines[j]
            j += step
        return None

    def run(self) -> list[Clause]:
        skip = self.skipped_lines()
        underlines = self.setext_underlines(skip)
        for line in self.lines:
            m = parse_marker(line.body)
            if m is not None and len(m.dotted) > 1 and m.keyword is None:
                self.explicit.add(m.label)

        self.current = _Open(0, None, [], preamble=True)
        blanks = 0
        prev_line: _Line | None = None
        for idx, line in enumerate(self.lines):
            if idx in skip:
                continue
            if not line.body:
                blanks += 1
                self.in_table = False
                continue
            if idx in underlines:
                continue
            event = self.classify(idx, blanks, prev_line)
            self.prev_event = event
            prev_line = line
            blanks = 0
        self.close(len(self.doc.text))
        if self.pending is not None:
            self.current = _Open(self.pending, self.section(), self.heading_path())
            self.close(len(self.doc.text))
        logger.debug("found %d clauses in %s", len(self.clauses), self.doc.path)
        return self.clauses

    def classify(self, idx: int, blanks: int, prev: _Line | None) -> str:
        line = self.lines[idx]
        body = line.body
        if self.is_table_line(idx):
            if not (self.in_table and blanks == 0):
                self.on_content(line, paragraph=False)
            self.in_table = True
            return "table"
        self.in_table = False

        atx = _ATX.match(line.raw) or _HTML_HEADING.match(line.raw)
        if atx:
            self.on_heading(line, len(atx.group(1)) if atx.re is _ATX else int(atx.group(1)),
                            atx.group(2))
            return "heading"
        if idx + 1 < len(self.lines) and _SETEXT.fullmatch(self.lines[idx + 1].raw) and (
            not _BULLET.match(line.raw)
        ):
            level = 1 if self.lines[idx + 1].body.startswith("=") else 2
            self.on_heading(line, level, body)
            return "heading"
        if not re.search(r"\w", clean_inline(body)):
            return self.prev_event  # rules, bare HTML tags: part of whatever is open
        if _BULLET.match(line.raw):
            self.on_content(line, paragraph=False)
            return "bullet"

        marker = parse_marker(body)
        if marker is not None and self.on_item(line, marker, self.heading_only(idx, marker)):
            return "item"
        label = self.label_text(body)
        if label is not None:
            self.on_label(line, label)
            return "heading"
        if self.current is not None and self.current.preamble:
            return "text"
        if self.current is None or self.prev_event in ("heading", "table") or (
            blanks > 0 and prev is not None and self.paragraph_break(prev, blanks)
        ):
            self.on_content(line, paragraph=True)
        return "text"

    @staticmethod
    def paragraph_break(prev: _Line, blanks: int) -> bool:
        # PDF text often has a blank line after every wrapped line: only a blank line after
        # a line that ends like a sentence (or a wider gap) separates paragraphs.
        return blanks >= 2 or bool(_TERMINAL_END.search(prev.raw))

    @staticmethod
    def label_text(body: str) -> str | None:
        """The title of a bold-only or ALL-CAPS heading line, None for ordinary text."""
        stripped = re.sub(r"(?:<br\s*/?>\s*)+$", "", body).strip()
        cleaned = clean_inline(stripped)
        if not cleaned or cleaned.endswith((".", ",", ";")) or len(cleaned.split()) > 20:
            return None
        emphasized = _EMPHASIZED.fullmatch(stripped)
        if emphasized and "**" not in emphasized.group(1).strip("*_"):
            return cleaned
        letters = [c for c in cleaned if c.isalpha()]
        words = cleaned.split()
        if (
            len(letters) >= 4
            and all(c.isupper() for c in letters)
            and len(words) <= 15
            and (len(words) >= 2 or len(letters) >= 5)
        ):
            return cleaned
        return None

    def is_table_line(self, idx: int) -> bool:
        body = self.lines[idx].body
        if "|" not in body:
            return False
        if body.startswith("|") or _TABLE_SEPARATOR.fullmatch(body):
            return True
        nxt = self.lines[idx + 1].body if idx + 1 < len(self.lines) else ""
        return bool(_TABLE_SEPARATOR.fullmatch(nxt) and "|" in nxt) or self.in_table

    def skipped_lines(self) -> set[int]:
        """Front matter and fenced code: kept in the text, never read as structure."""
        skip: set[int] = set()
        if self.lines and self.lines[0].body == "---":
            for j in range(1, len(self.lines)):
                if self.lines[j].body in ("---", "..."):
                    skip.update(range(0, j + 1))
                    break
        fence = False
        for j, line in enumerate(self.lines):
            if _FENCE.match(line.raw):
                skip.add(j)
                fence = not fence
            elif fence:
                skip.add(j)
        return skip

    def setext_underlines(self, skip: set[int]) -> set[int]:
        found: set[int] = set()
        for j in range(1, len(self.lines)):
            prev = self.lines[j - 1]
            if (
                j not in skip
                and j - 1 not in skip
                and _SETEXT.fullmatch(self.lines[j].raw)
                and prev.body
                and not _BULLET.match(prev.raw)
                and "|" not in prev.body
                and not _ATX.match(prev.raw)
            ):
                found.add(j)
        return found


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    offset = 0
    for raw in text.split("\n"):
        lines.append(_Line(offset, offset + len(raw), raw))
        offset += len(raw) + 1
    return lines


def find_clauses(doc: LoadedDocument) -> list[Clause]:
    """The clauses of `doc` in reading order; together they cover all of its text."""
    return _Builder(doc, _split_lines(doc.text)).run()
