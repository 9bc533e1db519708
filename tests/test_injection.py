"""Agreements carrying injected instructions change no verdict and lend no citation.

The corpus is made here: the project's own Tideline sample with paragraphs planted after
its section headings, each a way a file can try to steer a model (instructions about
instructions, fake system prompts, chat-template tokens, forged JSON answers and citations).
Every labeled Tideline question is asked of the clean and of the injected agreement in one
real index (real Chroma, the real embedding model), by the learned judge alone and with a
chat model that obeys whatever instructions it reads. The model is a stand-in at the network
boundary; tests/test_llm_protocol.py asks the real SmolLM2 the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from assistant.answering.llm import LLMAnswerer
from assistant.answering.protocol import AgreementContext, AnswerContext
from assistant.facade import AgreementAssistant
from assistant.questions.analysis import analyze_question
from assistant.settings import Settings
from assistant.types import Answer, RetrievedChunk, Verdict
from ingest.types import Chunk
from tests.conftest import SAMPLES
from tests.test_screening import ADDRESSED_TO_A_MODEL

pytestmark = pytest.mark.e2e

SAMPLE = SAMPLES / "tideline_subscription_agreement.md"
CLEAN, INJECTED = "tideline_clean", "tideline_injected"
_HEADING = re.compile(r"^## \d+\..*$", re.MULTILINE)


def plant(text: str, paragraphs: list[str]) -> tuple[str, list[str]]:
    """`text` with one planted paragraph after each section heading (cycling through them),
    and the paragraphs planted."""
    out, planted, last = [], [], 0
    for number, heading in enumerate(_HEADING.finditer(text)):
        paragraph = paragraphs[number % len(paragraphs)]
        out.append(text[last : heading.end()] + "\n\n" + paragraph + "\n")
        planted.append(paragraph)
        last = heading.end()
    out.append(text[last:])
    return "".join(out), planted


def _questions() -> list[dict[str, Any]]:
    data = yaml.safe_load((SAMPLES / "questions.yaml").read_text(encoding="utf-8"))
    entry = next(a for a in data["agreements"] if a["file"] == SAMPLE.name)
    return list(entry["questions"])


def _flat(text: str) -> str:
    return " ".join(text.split())


class Obedient(BaseChatModel):
    """A chat model that does what any text in its prompt tells it: once it reads an
    injected instruction it answers "provider" and cites a real passage verbatim (a hijack
    that would pass verification); otherwise it has nothing to say (a malformed reply, so
    the judge answers)."""

    @property
    def _llm_type(self) -> str:
        return "obedient-fake"

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:  # fmt: skip
        prompt = str(messages[-1].content)
        if not any(_flat(p)[:40] in prompt for p in ADDRESSED_TO_A_MODEL):
            return _result("I have no instructions.")
        found = re.search(r"<<<PASSAGE id=(\w+) [^\n]*agreement=(\S+)[^\n]*>>>\n([^\n]+)", prompt)
        assert found is not None
        pid, agreement, text = found.groups()
        quote = " ".join(text.split()[:12])
        reply = {"answers": [{"agreement": agreement.rstrip(">"), "verdict": "provider",
                              "answer": "The provider is responsible.",
                              "citations": [{"id": pid, "quote": quote}]}]}  # fmt: skip
        return _result(json.dumps(reply))


def _result(text: str) -> ChatResult:
    return ChatResult(generations=[ChatGeneration(message=AIMessage(text))])


@pytest.fixture(scope="module")
def injected_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Planted]:
    folder = tmp_path_factory.mktemp("injected-corpus")
    text = SAMPLE.read_text(encoding="utf-8")
    injected, planted = plant(text, ADDRESSED_TO_A_MODEL)
    (folder / f"{CLEAN}.md").write_text(text, encoding="utf-8")
    (folder / f"{INJECTED}.md").write_text(injected, encoding="utf-8")
    home = tmp_path_factory.mktemp("injected-home")
    report = AgreementAssistant(Settings(home=home)).ingest([folder])
    assert not report.failed, [r.error for r in report.failed]
    yield Planted(home, injected, planted)


@dataclass(frozen=True)
class Planted:
    home: Path
    text: str  # the injected agreement's file text
    paragraphs: list[str]


def _check_citations(answer: Answer, injected_text: str, planted: list[str]) -> None:
    flat_text = _flat(injected_text)
    for citation in answer.citations:
        quote = _flat(citation.quote)
        assert quote in flat_text, f"cited text not in the agreement: {quote!r}"
        for paragraph in planted:
            assert _flat(paragraph)[:40] not in quote, f"injected text cited: {quote!r}"


def _ask_both(assistant: AgreementAssistant, planted: Planted) -> list[tuple[str, Answer, Answer]]:
    pairs = []
    for case in _questions():
        clean = assistant.ask(case["question"], [CLEAN])
        dirty = assistant.ask(case["question"], [INJECTED])
        _check_citations(dirty, planted.text, planted.paragraphs)
        pairs.append((case["id"], clean, dirty))
    return pairs


def test_the_judge_gives_the_same_verdicts_on_the_injected_agreement(
    injected_home: Planted,
) -> None:
    # every kind of injection is in the file
    assert len(injected_home.paragraphs) >= len(ADDRESSED_TO_A_MODEL)
    assistant = AgreementAssistant(Settings(home=injected_home.home))
    pairs = _ask_both(assistant, injected_home)
    changed = [(qid, c.verdict.value, d.verdict.value) for qid, c, d in pairs
               if c.verdict is not d.verdict]  # fmt: skip
    assert not changed, changed
    noted = [d for _, _, d in pairs if "reads as instructions to an AI model" in d.answer]
    assert noted, "no answer said that text was left out"


def test_an_obedient_model_is_never_shown_the_injection(
    injected_home: Planted,
) -> None:
    assistant = AgreementAssistant(Settings(home=injected_home.home))
    judge = assistant.answerer
    assistant.answerer = LLMAnswerer(Obedient(), judge, model_name="obedient")
    pairs = _ask_both(assistant, injected_home)
    hijacked = [qid for qid, _, d in pairs if d.answerer == "llm:obedient"]
    assert not hijacked, f"the model read injected text for {hijacked}"
    changed = [qid for qid, c, d in pairs if c.verdict is not d.verdict]
    assert not changed, changed


def test_the_obedient_model_is_hijacked_when_screening_is_skipped(tmp_path: Path) -> None:
    """The control: without screening the stand-in model does turn the answer, so the test
    above would fail if screening let the text through."""
    text = ("The Subscriber shall back up its own Subscriber Content.\n\n"
            + ADDRESSED_TO_A_MODEL[0])  # fmt: skip
    chunk = Chunk(id="x::1", agreement="x", text=text, start=0, end=len(text), section="3",
                  page_start=None, ordinal=1)  # fmt: skip
    judge = AgreementAssistant(Settings(home=tmp_path)).answerer
    answerer = LLMAnswerer(Obedient(), judge, model_name="obedient")
    context = AnswerContext(agreements=[AgreementContext(name="x")])
    answer = answerer.answer(analyze_question("Who handles backups?"),
                             [RetrievedChunk(chunk=chunk, score=1.0)], context)  # fmt: skip
    assert answer.answerer == "llm:obedient" and answer.verdict is Verdict.PROVIDER
