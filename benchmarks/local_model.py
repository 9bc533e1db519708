"""A GGUF model served on loopback as an OpenAI-compatible endpoint, in this process.

xllamacpp's `Server` runs llama.cpp's own HTTP server (the same one `llama-server` is); the
assistant reaches it exactly as it would any OpenAI-compatible server, through
AGREEMENTS_LLM__BASE_URL. Used by the language-model benchmark and the protocol tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


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

    def __enter__(self) -> LocalModelServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def main() -> None:
    """`python -m benchmarks.local_model FILE.gguf`: serve on a free loopback port until Ctrl-C."""
    import argparse
    import time

    parser = argparse.ArgumentParser(prog="python -m benchmarks.local_model")
    parser.add_argument("model", type=Path, help="a GGUF file")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--context", type=int, default=8192)
    args = parser.parse_args()
    with LocalModelServer(args.model, args.context, args.threads) as server:
        print(f"serving {args.model.name}: AGREEMENTS_LLM__BASE_URL={server.base_url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
