"""The model-backed answerer against a real model over real HTTP.

llama.cpp's server (xllamacpp, in this process) serves SmolLM2-135M-Instruct on loopback as
an OpenAI-compatible endpoint, and the assistant reaches it through AGREEMENTS_LLM__BASE_URL
with LangChain's OpenAI client, exactly as it would a user's llama.cpp, vLLM or LM Studio. The
small model's wisdom is not tested: structure is (who answered, both opinions, every citation
verbatim in the agreement, a reason whenever the judge's answer stands), and so are streaming,
timeouts, an unreachable server and agreements carrying injected instructions. Calls are kept
few and short (max_tokens), each reply taking seconds on two cores.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.facade import AgreementAssistant
from assistant.rendering import answer_to_json
from assistant.settings import LLMSettings, Settings
from assistant.types import Answer
from tests.conftest import REPO, SAMPLES
from tests.local_llm import LocalModelServer, smollm2_path
from tests.servers import free_port
from tests.test_injection import plant
from tests.test_screening import ADDRESSED_TO_A_MODEL

pytestmark = pytest.mark.e2e

SAMPLE = SAMPLES / "tideline_subscription_agreement.md"
MODEL = "smollm2"
# Why the judge's answer may stand, as the answer says it (assistant/answering/llm.py).
FALLBACK_REASONS = ("the model's answer had no verified citation", "the model failed (",
                    "the model did not finish within", "the model's reply")  # fmt: skip


@pytest.fixture(scope="module")
def server() -> Iterator[LocalModelServer]:
    served = LocalModelServer(smollm2_path(), context=8192, threads=2)
    yield served
    served.close()


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("llm-corpus")
    text = SAMPLE.read_text(encoding="utf-8")
    (folder / "tideline.md").write_text(text, encoding="utf-8")
    (folder / "tideline_injected.md").write_text(plant(text, ADDRESSED_TO_A_MODEL)[0], "utf-8")
    home = tmp_path_factory.mktemp("llm-home")
    assert not AgreementAssistant(Settings(home=home)).ingest([folder]).failed
    return home


def _llm(base_url: str, **changes: object) -> LLMSettings:
    values: dict[str, object] = {"model": MODEL, "base_url": base_url, "max_tokens": 256,
                                 "timeout_seconds": 120, "passages": 4, "passage_chars": 1000}  # fmt: skip
    return LLMSettings.model_validate(values | changes)


def _assistant(home: Path, llm: LLMSettings) -> AgreementAssistant:
    return AgreementAssistant(Settings(home=home, llm=llm))


def _flat(text: str) -> str:
    return " ".join(text.split())


def _check_structure(answer: Answer, agreement_text: str) -> None:
    """What holds whatever the model said."""
    assert [o.answerer for o in answer.opinions] == [f"llm:{MODEL}", "learned"]
    assert answer.opinions[1].verdict is not None
    if answer.fallback is None:
        assert answer.answerer == f"llm:{MODEL}" and answer.citations
    else:
        assert answer.answerer == "learned"
        assert answer.fallback.startswith(FALLBACK_REASONS), answer.fallback
    for citation in answer.citations:
        assert _flat(citation.quote) in _flat(agreement_text), citation.quote
    shown = answer_to_json(answer)
    assert {"answerer", "fallback", "disagreement", "opinions"} <= shown.keys()


def test_a_real_model_answers_or_the_judge_does_with_verified_citations(
    server: LocalModelServer, home: Path
) -> None:
    drafts: list[str] = []
    answer = _assistant(home, _llm(server.base_url)).ask(
        "Who handles backups?", ["tideline"], on_text=drafts.append
    )
    _check_structure(answer, SAMPLE.read_text(encoding="utf-8"))
    if answer.fallback is None:
        assert drafts and _flat(drafts[-1]) in _flat(answer.answer)  # streamed as it came


def test_a_reply_past_its_deadline_and_an_unreachable_server_fall_back(
    server: LocalModelServer, home: Path
) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    late = _assistant(home, _llm(server.base_url, timeout_seconds=0.2)).ask(
        "Who patches the operating system?", ["tideline"]
    )
    _check_structure(late, text)
    assert late.fallback == "the model did not finish within 0.2 s"
    gone = _assistant(home, _llm(f"http://127.0.0.1:{free_port()}/v1", timeout_seconds=30)).ask(
        "Who patches the operating system?", ["tideline"]
    )
    _check_structure(gone, text)
    assert gone.fallback is not None and gone.fallback.startswith("the model failed (")
    assert gone.verdict is late.verdict  # the judge's, either way


def test_a_real_model_never_reads_or_cites_injected_text(
    server: LocalModelServer, home: Path
) -> None:
    injected = plant(SAMPLE.read_text(encoding="utf-8"), ADDRESSED_TO_A_MODEL)
    assistant = _assistant(home, _llm(server.base_url))
    for question in ("Who handles backups?", "Who must notify regulators of a breach?"):
        answer = assistant.ask(question, ["tideline_injected"])
        _check_structure(answer, injected[0])
        for citation in answer.citations:
            assert not any(_flat(p)[:40] in _flat(citation.quote) for p in injected[1])


def test_the_cli_names_the_model_and_both_opinions(server: LocalModelServer, home: Path) -> None:
    env = os.environ | {"AGREEMENTS_HOME": str(home), "AGREEMENTS_LLM__MODEL": MODEL,
                        "AGREEMENTS_LLM__BASE_URL": server.base_url,
                        "AGREEMENTS_LLM__MAX_TOKENS": "256", "AGREEMENTS_LLM__PASSAGES": "4"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ask", "Who handles backups?", "-a", "tideline",
         "--json"],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert [o["answerer"] for o in shown["opinions"]] == [f"llm:{MODEL}", "learned"]
    assert shown["answerer"] in (f"llm:{MODEL}", "learned")
    assert (shown["fallback"] is None) == (shown["answerer"] == f"llm:{MODEL}")


def test_the_chat_page_streams_and_says_who_answered(
    server: LocalModelServer, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in {"AGREEMENTS_HOME": str(home), "AGREEMENTS_LLM__MODEL": MODEL,
                       "AGREEMENTS_LLM__BASE_URL": server.base_url,
                       "AGREEMENTS_LLM__MAX_TOKENS": "256",
                       "AGREEMENTS_LLM__PASSAGES": "4"}.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    app.run()
    app.chat_input[0].set_value("Who handles backups?").run()
    assert not app.exception, app.exception
    captions = [c.value for c in app.caption]
    said = next(c for c in captions if c.startswith("Confidence "))
    assert f"answered by llm:{MODEL}" in said or "answered by the learned judge" in said, said
