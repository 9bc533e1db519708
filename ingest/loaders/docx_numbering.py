"""Reproducing Word's automatic paragraph numbers.

Word draws list and heading numbers ("1.", "4.2", "(a)") from numbering definitions; they
are not in the paragraph text. Agreements number their sections this way, and without the
numbers the structure finder would find no sections, so the counters are replayed here.
This follows the common cases (per-level counters per abstract definition, deeper levels
restarting, start overrides, decimal/letter/roman formats); rarer features such as
`lvlRestart`, legal numbering (`isLgl`) and numbers linked across documents are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn

_MAX_LEVELS = 9
_PLACEHOLDER = re.compile(r"%([1-9])")
_NO_NUMBER_FORMATS = frozenset({"bullet", "none"})


@dataclass(frozen=True)
class _Level:
    fmt: str
    text: str
    start: int


class Numbering:
    """Hands out the number Word would draw for each paragraph, in document order."""

    def __init__(self, numbering_xml: Any | None, styles_xml: Any | None) -> None:
        self._levels: dict[str, dict[int, _Level]] = {}
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        self._counters: dict[str, list[int | None]] = {}
        self._started: set[str] = set()
        self._styles: dict[str, Any] = {}
        self._default_style: str | None = None
        if numbering_xml is not None:
            self._read_numbering(numbering_xml)
        if styles_xml is not None:
            self._read_styles(styles_xml)

    def label(self, paragraph_xml: Any) -> str | None:
        """The number shown before this paragraph ("1.", "4.2"), or None (not numbered)."""
        num_id, ilvl = self._numbering_of(paragraph_xml)
        if num_id is None or num_id == "0" or num_id not in self._nums:
            return None
        abstract_id, overrides = self._nums[num_id]
        levels = self._levels.get(abstract_id, {})
        level = levels.get(ilvl)
        if level is None:
            return None
        counters = self._counters.setdefault(abstract_id, [None] * _MAX_LEVELS)
        if num_id not in self._started:
            self._started.add(num_id)
            for override_level, start in overrides.items():
                counters[override_level] = start - 1
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, _MAX_LEVELS):
            counters[deeper] = None
        if level.fmt in _NO_NUMBER_FORMATS:
            return None

        def render(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            ref = levels.get(index, level)
            value = counters[index]
            return format_number(ref.start if value is None else value, ref.fmt)

        return _PLACEHOLDER.sub(render, level.text).strip() or None

    def _numbering_of(self, paragraph_xml: Any) -> tuple[str | None, int]:
        """numId and level from the paragraph, falling back on its style chain."""
        num_id: str | None = None
        ilvl: int | None = None
        ppr = paragraph_xml.find(qn("w:pPr"))
        style_id = self._default_style
        if ppr is not None:
            num_id, ilvl = _num_pr(ppr)
            pstyle = ppr.find(qn("w:pStyle"))
            if pstyle is not None:
                style_id = pstyle.get(qn("w:val"))
        seen: set[str] = set()
        while style_id and style_id not in seen and (num_id is None or ilvl is None):
            seen.add(style_id)
            style = self._styles.get(style_id)
            if style is None:
                break
            style_ppr = style.find(qn("w:pPr"))
            if style_ppr is not None:
                style_num, style_lvl = _num_pr(style_ppr)
                num_id = num_id if num_id is not None else style_num
                ilvl = ilvl if ilvl is not None else style_lvl
            based_on = style.find(qn("w:basedOn"))
            style_id = based_on.get(qn("w:val")) if based_on is not None else None
        return num_id, min(max(ilvl or 0, 0), _MAX_LEVELS - 1)

    def _read_numbering(self, root: Any) -> None:
        for abstract in root.findall(qn("w:abstractNum")):
            levels: dict[int, _Level] = {}
            for lvl in abstract.findall(qn("w:lvl")):
                index = _int(lvl.get(qn("w:ilvl")), 0)
                levels[index] = _Level(
                    fmt=_val(lvl, "w:numFmt") or "decimal",
                    text=_val(lvl, "w:lvlText") or "",
                    start=_int(_val(lvl, "w:start"), 1),
                )
            self._levels[abstract.get(qn("w:abstractNumId")) or ""] = levels
        for num in root.findall(qn("w:num")):
            overrides: dict[int, int] = {}
            for override in num.findall(qn("w:lvlOverride")):
                start = _val(override, "w:startOverride")
                if start is not None:
                    overrides[_int(override.get(qn("w:ilvl")), 0)] = _int(start, 1)
            abstract_id = _val(num, "w:abstractNumId") or ""
            self._nums[num.get(qn("w:numId")) or ""] = (abstract_id, overrides)

    def _read_styles(self, root: Any) -> None:
        for style in root.findall(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            if not style_id:
                continue
            self._styles[style_id] = style
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in (
                "1",
                "true",
            ):
                self._default_style = style_id


def format_number(value: int, fmt: str) -> str:
    """A counter value in a Word number format; unknown formats fall back to decimal."""
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        # Word counts a..z, then aa..zz, then aaa..: the letter repeats.
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1) if value > 0 else ""
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(value)


def _roman(value: int) -> str:
    if value <= 0:
        return str(value)
    numerals = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )  # fmt: skip
    out = []
    for amount, numeral in numerals:
        count, value = divmod(value, amount)
        out.append(numeral * count)
    return "".join(out)


def _num_pr(ppr: Any) -> tuple[str | None, int | None]:
    num_pr = ppr.find(qn("w:numPr"))
    if num_pr is None:
        return None, None
    ilvl = _val(num_pr, "w:ilvl")
    return _val(num_pr, "w:numId"), (_int(ilvl, 0) if ilvl is not None else None)


def _val(element: Any, child: str) -> str | None:
    found = element.find(qn(child))
    if found is None:
        return None
    value = found.get(qn("w:val"))
    return str(value) if value is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
