"""The product speaks in its own words: no text shares a run of 7 words with the seed page.

The page itself is not in the repository (it belongs to its publisher); its wording is kept
as hashed 7-word runs in tests/fixtures/seed_runs.txt (see tests/seed_fingerprint.py), so
this test runs everywhere, CI included, and never skips.
"""

from __future__ import annotations

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


@pytest.mark.parametrize("document", ["docs/clinical-basis.md", "README.md", "CHANGELOG.md"])
def test_no_document_copies_the_seed(seed, document):
    """The clinical basis, README and CHANGELOG paraphrase the seed page, never copy it."""
    text = (REPO / document).read_text(encoding="utf-8")
    assert runs_shared_with_seed(text, seed) == []
