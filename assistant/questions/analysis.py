"""The first stage of a question: what it is about, before anything is retrieved."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.questions.topics import detect_topics, expand_query
from ingest.words import FUNCTION_WORDS

_WORD = re.compile(r"[^\W\d_]+")


class QuestionAnalysis(BaseModel):
    """A question as the later stages use it."""

    question: str = Field(description="The question as asked, stripped.")
    topics: list[str] = Field(
        default_factory=list, description="Topic ids it is about, best first; [] for none."
    )
    lexical_query: str = Field(
        description="What the lexical (BM25) search looks for: the question plus its topic's "
        "legal words, since people ask in words agreements never use."
    )
    understood: bool = Field(
        default=True,
        description="False when nothing in it can be read: no topic, and no English word "
        "of the kind every question has (who, the, is…) or a single word.",
    )


def analyze_question(question: str) -> QuestionAnalysis:
    topics = detect_topics(question)
    return QuestionAnalysis(
        question=question,
        topics=topics,
        lexical_query=expand_query(question, topics),
        understood=bool(topics) or _reads_as_english(question),
    )


def _reads_as_english(question: str) -> bool:
    """Every labeled question of this project (476, some without a topic) has an English
    function word, at least 15% of its words; questions in other languages have none. A
    question in another language that names a topic ("Chi gestisce i backup?") is answered."""
    words = _WORD.findall(question.lower())
    return len(words) >= 2 and any(w in FUNCTION_WORDS for w in words)
