"""The first stage of a question: what it is about, before anything is retrieved."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.questions.topics import detect_topics, expand_query


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


def analyze_question(question: str) -> QuestionAnalysis:
    topics = detect_topics(question)
    return QuestionAnalysis(
        question=question, topics=topics, lexical_query=expand_query(question, topics)
    )
