"""HTML agreements (saved web pages): the readable text, with headings marked up.

Headings become Markdown '#' lines so the structure finder treats HTML and Markdown alike;
ordered list items get the number the browser would draw, since agreements published as web
pages often number their sections with <ol>.
"""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path

from bs4 import BeautifulSoup, FeatureNotFound
from bs4.element import NavigableString, PageElement, PreformattedString, Tag

from ingest.types import LoadedDocument

from .base import decode_text, finish

logger = logging.getLogger(__name__)

# Never agreement text: code, styling and page chrome.
_DROPPED = frozenset(
    {"script", "style", "noscript", "template", "head", "nav", "svg", "iframe", "object"}
)
# Site-wide banners and footers are chrome; inside an article they may hold its title.
_CHROME = frozenset({"header", "footer"})
_CONTENT = frozenset({"article", "main", "section"})
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "form", "hr",
        "html", "main", "ol", "p", "section", "summary", "table", "tbody", "tfoot", "thead",
        "ul",
    }
)  # fmt: skip
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_GROUPED = frozenset({"li", "row"})  # consecutive lines of these kinds share a paragraph
_SPACES = re.compile(r"\s+")
# Marks a <br> in the buffer; newlines in the source are mere whitespace in HTML.
_BREAK = "\x00"
_CHARSET = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


class HtmlLoader:
    """Reads .html/.htm files with BeautifulSoup."""

    extensions: tuple[str, ...] = (".html", ".htm")

    def load(self, path: Path, data: bytes) -> LoadedDocument:
        markup = _decode(path, data)
        try:
            soup = BeautifulSoup(markup, "lxml")
        except FeatureNotFound:  # lxml missing: the stdlib parser is slower but equivalent
            soup = BeautifulSoup(markup, "html.parser")
        collector = _Collector()
        collector.walk(soup)
        collector.flush()
        return finish(path, "html", collector.text())


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 first; then the charset the page declares; then the encoding detected."""
    match = _CHARSET.search(data[:4096])
    if match is not None:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        charset = match.group(1).decode("ascii")
        try:
            codecs.lookup(charset)
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            logger.info("%s declares charset %r but is not valid in it", path.name, charset)
    return decode_text(path, data)


class _Collector:
    """Walks the tree, turning block elements into lines tagged with their kind."""

    def __init__(self) -> None:
        self.blocks: list[tuple[str, str]] = []
        self._buffer: list[str] = []
        # Text flushed by a block nested in a list item still belongs to that item.
        self._kind = "p"

    def walk(self, node: PageElement, inside_content: bool = False) -> None:
        if isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):  # comments, doctype, CDATA
                self._buffer.append(str(node).replace(_BREAK, ""))
            return
        if not isinstance(node, Tag):
            return
        name = (node.name or "").lower()
        if name in _DROPPED or (name in _CHROME and not inside_content):
            return
        inside_content = inside_content or name in _CONTENT
        if name == "br":
            self._buffer.append(_BREAK)
        elif name in _HEADINGS:
            self.flush()
            self._children(node, inside_content)
            self.flush(kind="h", prefix="#" * _HEADINGS[name] + " ")
        elif name == "li":
            self.flush()
            self._buffer.append(_list_marker(node))
            outer, self._kind = self._kind, "li"
            self._children(node, inside_content)
            self.flush()
            self._kind = outer
        elif name == "tr":
            self.flush()
            self._row(node, inside_content)
        elif name == "pre":
            self.flush()
            for line in node.get_text().split("\n"):
                if line.strip():
                    self.blocks.append(("pre", line.rstrip()))
        elif name in _BLOCKS:
            self.flush()
            self._children(node, inside_content)
            self.flush()
        else:
            self._children(node, inside_content)

    def _children(self, node: Tag, inside_content: bool) -> None:
        for child in node.children:
            self.walk(child, inside_content)

    def _row(self, row: Tag, inside_content: bool) -> None:
        cells: list[str] = []
        for cell in row.find_all(["td", "th"], recursive=False):
            sub = _Collector()
            sub._children(cell, inside_content)
            sub.flush()
            cells.append(" ".join(text for _, text in sub.blocks))
        if any(cells):
            self.blocks.append(("row", " | ".join(cells)))

    def flush(self, kind: str | None = None, prefix: str = "") -> None:
        kind = kind or self._kind
        raw = "".join(self._buffer)
        self._buffer.clear()
        lines = [_SPACES.sub(" ", part).strip() for part in raw.split(_BREAK)]
        text = "\n".join(line for line in lines if line)
        if text and not (kind == "li" and _is_bare_marker(text)):
            self.blocks.append((kind, prefix + text))

    def text(self) -> str:
        out: list[str] = []
        previous = ""
        for kind, text in self.blocks:
            if out:
                out.append("\n" if kind == previous and kind in _GROUPED | {"pre"} else "\n\n")
            out.append(text)
            previous = kind
        return "".join(out)


def _list_marker(item: Tag) -> str:
    """The marker a browser draws: "3. " in an ordered list, "- " otherwise."""
    parent = item.parent
    if not isinstance(parent, Tag) or (parent.name or "").lower() != "ol":
        return "- "
    value = _int_attr(item, "value")
    if value is None:
        number = _int_attr(parent, "start") or 1
        for sibling in item.find_previous_siblings("li"):
            explicit = _int_attr(sibling, "value")
            if explicit is not None:
                number = explicit + 1
                break
            number += 1
        value = number
    return f"{value}. "


def _int_attr(tag: Tag, name: str) -> int | None:
    raw = tag.get(name)
    try:
        return int(str(raw).strip()) if raw is not None else None
    except ValueError:
        return None


def _is_bare_marker(text: str) -> bool:
    """An <li> whose only content was a nested list leaves its marker behind alone."""
    return text == "-" or bool(re.fullmatch(r"\d+\.", text))
