"""Text clean-up shared by every loader.

Clause spans and page offsets index into the normalized text, so every loader normalizes
*before* it records any offset; normalizing afterwards would shift them.
"""

from __future__ import annotations

import re
import unicodedata

# Invisible characters that PDF generators and word processors scatter between words
# (Google Docs exports put U+200B around links). They break verbatim quote matching and
# carry no meaning in an agreement, so they go; soft hyphens stay (we de-hyphenate nothing).
_INVISIBLE = "\u200b\u2060\ufeff"
# Spaces that should compare equal to an ordinary space when quotes are matched.
_SPACES = "\u00a0\u2007\u202f"
# Typographic ligatures (U+FB00-FB06) are the same letters drawn as one glyph: "ﬁ" left as it
# is makes "conﬁguration" a different word from "configuration" for search and quotes.
_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_TRANSLATION = str.maketrans(
    {**dict.fromkeys(_INVISIBLE, None), **dict.fromkeys(_SPACES, " "), **_LIGATURES}
)
# C0/C1 control characters except tab and newline (\r is handled before this runs).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def normalize_text(text: str) -> str:
    """Unify line ends, spaces and composition so offsets and quotes are stable.

    NFC rather than NFKC: NFKC would rewrite ligatures, superscripts and the like, and the
    text must stay faithful to what the agreement says.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_TRANSLATION)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


_SPACE_RUN = re.compile(r"[ \t]+")
_BLANK_RUN = re.compile(r"\n{3,}")


def tidy_layout(text: str) -> str:
    """Make extracted page text read as lines and paragraphs.

    PDF extraction pads lines with layout spaces; collapsing them and trimming each line puts
    section numbers at line starts, where the structure finder looks for them. Runs of blank
    lines become one, which keeps paragraph breaks without the page's vertical whitespace.
    """
    lines = [_SPACE_RUN.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")
