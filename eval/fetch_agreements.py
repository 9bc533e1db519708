"""Bring the agreements of eval/extra_sources.yaml into a folder.

`python -m eval.fetch_agreements DIR [--mirrors ROOT]`.

Each file is the blob at the recorded commit, so what is labeled is byte for byte what is read.
With `--mirrors ROOT` the repositories are read from local git mirrors (ROOT/<owner>+<name>/repo,
or ROOT/<owner>/<name>); otherwise each is cloned from GitHub into a temporary folder (needs the
network). A file already present with the right content is left alone.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

SOURCES = Path(__file__).resolve().parent / "extra_sources.yaml"


def _mirror(root: Path | None, repo: str, scratch: Path) -> Path:
    owner, name = repo.split("/")
    if root is not None:
        for candidate in (root / f"{owner}+{name}" / "repo", root / owner / name):
            if candidate.is_dir():
                return candidate
        raise SystemExit(f"error: no mirror of {repo} under {root}")
    target = scratch / f"{owner}+{name}"
    if not target.exists():
        url = f"https://github.com/{repo}.git"
        subprocess.run(["git", "clone", "--quiet", "--no-checkout", url, str(target)], check=True)
    return target


def _blob(mirror: Path, commit: str, path: str) -> bytes:
    done = subprocess.run(
        ["git", "-C", str(mirror), "show", f"{commit}:{path}"], capture_output=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"error: {mirror}: {commit}:{path}: {done.stderr.decode().strip()}")
    return done.stdout


def fetch(out: Path, mirrors: Path | None) -> int:
    out.mkdir(parents=True, exist_ok=True)
    entries = yaml.safe_load(SOURCES.read_text(encoding="utf-8"))["agreements"]
    with tempfile.TemporaryDirectory(prefix="agreements-fetch-") as scratch:
        for number, entry in enumerate(entries, start=1):
            mirror = _mirror(mirrors, entry["repo"], Path(scratch))
            data = _blob(mirror, entry["commit"], entry["path"])
            target = out / entry["file"]
            same = target.exists() and target.read_bytes() == data
            if not same:
                target.write_bytes(data)
            digest = hashlib.sha256(data).hexdigest()[:12]
            state = "unchanged" if same else "written"
            where = f"[{number}/{len(entries)}] {entry['file']}"
            print(f"{where}: {state} ({len(data)} bytes, {digest})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.fetch_agreements", description=__doc__)
    parser.add_argument("out", type=Path, help="the folder to bring the agreements into")
    parser.add_argument("--mirrors", type=Path, help="a folder of local git mirrors instead")
    args = parser.parse_args(argv)
    return fetch(args.out, args.mirrors)


if __name__ == "__main__":
    sys.exit(main())
