"""The product speaks in its own words: no text shares a run of 7 words with the seed page.

The page itself is not in the repository (it belongs to its publisher); its wording is kept
as hashed 7-word runs in tests/fixtures/seed_runs.txt (see tests/seed_fingerprint.py), so
this test runs everywhere, CI included, and never skips.
"""

from __future__ import annotations

import ast
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from seed_fingerprint import FIXTURE, load_seed_fingerprints, runs_shared_with_seed

from cart_cli.models import Plan
from cart_cli.timeline import build_timeline

REPO = Path(__file__).resolve().parents[1]
INFUSION = date(2026, 11, 30)


@pytest.fixture(scope="module")
def seed() -> set[str]:
    assert FIXTURE.is_file(), f"{FIXTURE} is missing: rebuild it as tests/seed_fingerprint.py says"
    return load_seed_fingerprints()


def test_the_fingerprints_are_those_of_the_seed_page(seed):
    """The fixture holds the whole page, and matches its title (a phrase of 8 words)."""
    assert len(seed) > 1500
    assert runs_shared_with_seed("CAR T-cell therapy recovery and side effects", seed) != []
    assert runs_shared_with_seed("cart keeps a private record of readings at home", seed) == []


def _timeline_texts() -> list[str]:
    plan = Plan(infusion_date=INFUSION, diagnosis="lymphoma")
    texts: list[str] = []
    for day in (-3, 12, 400):
        timeline = build_timeline(plan, INFUSION + timedelta(days=day))
        texts += timeline.now_applies
        texts += [s.milestone.title + ". " + s.milestone.detail for s in timeline.milestones]
    return texts


def test_no_timeline_sentence_is_copied_from_the_seed(seed):
    """No milestone title, detail or "what applies now" line shares 7 words with the page."""
    for text in _timeline_texts():
        assert runs_shared_with_seed(text, seed) == [], text


def _string_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string in a module; an f-string counts by its literal parts."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            parts = [part.value for part in node.values if isinstance(part, ast.Constant)]
            found.append((node.lineno, " ".join(str(part) for part in parts)))
    return found


def test_no_string_in_the_package_is_copied_from_the_seed(seed):
    """Every message, help text, rule summary and source in cart_cli is in our own words."""
    copied = [
        (f"{path.relative_to(REPO)}:{line}", runs)
        for path in sorted(REPO.glob("cart_cli/**/*.py"))
        for line, text in _string_literals(path)
        if (runs := runs_shared_with_seed(text, seed))
    ]
    assert copied == []


DOCUMENTS = ["README.md", "CHANGELOG.md", *sorted(f"docs/{p.name}" for p in REPO.glob("docs/*.md"))]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_no_document_copies_the_seed(seed, document):
    """The README, the CHANGELOG and every page of docs/ paraphrase the seed page, never copy it."""
    text = (REPO / document).read_text(encoding="utf-8")
    assert runs_shared_with_seed(text, seed) == []


# -- citations of docs/clinical-basis.md resolve -------------------------------------------------

BASIS = REPO / "docs" / "clinical-basis.md"
CITATION = re.compile(
    r"docs/clinical-basis\.md((?:,? (?:section \d|[ST]\d{1,2})(?:[,/ ]*(?:and )?[ST]\d{1,2})*)*)"
)


def _defined_in_basis() -> tuple[set[str], set[str]]:
    """The S and T numbers with a row in docs/clinical-basis.md, and its section numbers."""
    text = BASIS.read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| ([ST]\d{1,2}) \|", text, flags=re.M))
    sections = set(re.findall(r"^## (\d+)\.", text, flags=re.M))
    return rows, sections


def _citations() -> list[tuple[str, str]]:
    """(file:line, cited S/T number or "section N") for every citation in code and tests."""
    found = []
    for path in sorted([*REPO.glob("cart_cli/**/*.py"), *REPO.glob("tests/*.py")]):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in CITATION.finditer(line):
                where = f"{path.relative_to(REPO)}:{number}"
                found += [(where, ref) for ref in re.findall(r"section \d|[ST]\d{1,2}", match.group(1))]
    return found


def test_the_clinical_basis_defines_every_reference():
    """S1-S15 and T1-T27 each have a row, and sections 1-5 exist."""
    rows, sections = _defined_in_basis()
    assert rows == {f"S{n}" for n in range(1, 16)} | {f"T{n}" for n in range(1, 28)}
    assert sections == {"1", "2", "3", "4", "5"}


def test_every_citation_of_the_clinical_basis_resolves():
    """Code and tests that cite "docs/clinical-basis.md T13" cite a row that exists."""
    rows, sections = _defined_in_basis()
    citations = _citations()
    assert citations, "no citation found: the pattern no longer matches how code cites"
    unresolved = [
        (where, ref)
        for where, ref in citations
        if ref not in rows and not (ref.startswith("section ") and ref.split()[1] in sections)
    ]
    assert unresolved == []
