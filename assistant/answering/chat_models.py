"""The chat model named in settings, built with LangChain's init_chat_model.

`AGREEMENTS_LLM__MODEL` is an init_chat_model string ("openai:gpt-4.1-mini",
"anthropic:claude-sonnet-4-5", "ollama:llama3.1"), whose provider package must be installed
(`pip install langchain-anthropic`, ...). With `AGREEMENTS_LLM__BASE_URL` the model is reached
through LangChain's OpenAI client at that address, whatever the prefix: llama.cpp's server,
vLLM, LM Studio and Ollama's /v1 all speak that protocol. The key stays a SecretStr until the
client takes it, and is never logged.
"""

from __future__ import annotations

from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel

from assistant.errors import AgreementsError
from assistant.settings import LLMSettings


def make_chat_model(settings: LLMSettings) -> BaseChatModel:
    """The configured chat model; AgreementsError when it cannot be built (no provider
    package, an unknown provider), naming what to install or set."""
    if not settings.model:
        raise AgreementsError("no language model is configured (AGREEMENTS_LLM__MODEL)")
    from langchain.chat_models import init_chat_model  # imported only when a model is used

    kwargs: dict[str, Any] = {
        "temperature": settings.temperature,
        "max_tokens": settings.max_tokens,
        "timeout": settings.timeout_seconds,
    }
    model_name = settings.model
    if settings.base_url:
        provider, _, name = model_name.partition(":")
        # "openai:qwen2.5" and a bare "qwen2.5" both mean the server's model of that name.
        model_name = name if name and provider in _KNOWN_PREFIXES else model_name
        kwargs.update(model_provider="openai", base_url=settings.base_url)
        # Local servers take any key; the OpenAI client insists on one.
        kwargs["api_key"] = settings.api_key.get_secret_value() if settings.api_key else "none"
    elif settings.api_key is not None:
        kwargs["api_key"] = settings.api_key.get_secret_value()
    if model_name.startswith("ollama:"):
        kwargs.pop("max_tokens")  # ChatOllama calls it num_predict
        kwargs["num_predict"] = settings.max_tokens
        kwargs["client_kwargs"] = {"timeout": kwargs.pop("timeout")}
    try:
        model: BaseChatModel = init_chat_model(model_name, **kwargs)
        return model
    except ImportError as exc:
        raise AgreementsError(
            f"the language model {settings.model!r} needs a package that is not installed: "
            f"{exc.name or exc}"
        ) from None
    except ValueError as exc:
        raise AgreementsError(f"the language model {settings.model!r}: {exc}") from None


def uses_openai_client(settings: LLMSettings) -> bool:
    """Whether the model is reached through the OpenAI client (which takes response_format)."""
    return bool(settings.base_url) or (settings.model or "").startswith("openai:")


_KNOWN_PREFIXES = {"openai", "ollama", "anthropic", "local", "llamacpp", "vllm", "lmstudio"}
