"""Fingerprints of the seed page's wording, so the own-words test needs no copy of the page.

The seed page (docs/clinical-basis.md, "Sources") belongs to its publisher: the repository
keeps only a short hash of every run of ``RUN_WORDS`` consecutive words in it, in
``tests/fixtures/seed_runs.txt``. A text shares a run with the page exactly when one of its
own runs hashes to a stored value (a 48-bit hash: a false match is practically impossible).

To rebuild the fixture from a copy of the page (only needed if the page itself changes):

    python tests/seed_fingerprint.py PATH/TO/seed-page.txt > tests/fixtures/seed_runs.txt
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

RUN_WORDS = 7
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "seed_runs.txt"


def word_runs(text: str, length: int = RUN_WORDS) -> set[tuple[str, ...]]:
    """Every run of ``length`` consecutive words, lower case, punctuation ignored."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + length]) for i in range(len(words) - length + 1)}


def run_hash(run: tuple[str, ...]) -> str:
    """A short, stable fingerprint of one run of words."""
    return hashlib.sha256(" ".join(run).encode("utf-8")).hexdigest()[:12]


def fingerprints(text: str) -> set[str]:
    return {run_hash(run) for run in word_runs(text)}


def load_seed_fingerprints() -> set[str]:
    """The stored fingerprints of the seed page (the fixture is part of the repository)."""
    lines = FIXTURE.read_text(encoding="ascii").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def runs_shared_with_seed(text: str, seed: set[str]) -> list[str]:
    """The runs of ``text`` that also occur in the seed page, as readable strings."""
    return sorted(" ".join(run) for run in word_runs(text) if run_hash(run) in seed)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tests/seed_fingerprint.py SEED_PAGE.txt > tests/fixtures/seed_runs.txt")
        return 2
    text = Path(argv[0]).read_text(encoding="utf-8")
    print(f"# {RUN_WORDS}-word runs of the seed page, hashed (see tests/seed_fingerprint.py)")
    for value in sorted(fingerprints(text)):
        print(value)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
