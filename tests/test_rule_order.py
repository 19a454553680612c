"""The triage table keeps its order when the rules live in several modules (issue 18 item 5).

The rules register at import; ``cart_cli.rules`` imports the rule modules in the order of the
clinical table. The names below were read from the table before the split, so a reordered
import (or a rule moved between modules) shows up here, not as a subtly different check.
"""

from __future__ import annotations

from cart_cli.levels import Level
from cart_cli.rules import RULES

TABLE = {
    Level.RED: [
        "fever",
        "very-low-temperature",
        "infection-sign",
        "flu-like",
        "low-blood-pressure",
        "fast-pulse",
        "low-oxygen",
        "fast-breathing",
        "altered-mental-state",
        "speech-problem",
        "fluids-not-kept-down",
        "neuro-early",
        "allergic-reaction",
        "bleeding-sign",
        "extreme-fatigue",
        "too-much-paracetamol",
        "free-text-red",
        "several-amber-signs",
        "ice-score",
        "handwriting-change",
    ],
    Level.EMERGENCY: [
        "emergency-sign",
        "very-slow-breathing",
        "skin-colour",
        "non-blanching-rash",
        "stroke-sign",
        "chest-pain-with-breathlessness",
        "allergy-with-breathing",
        "possible-sepsis",
        "free-text-emergency",
    ],
    Level.AMBER: [
        "raised-temperature",
        "low-temperature",
        "borderline-blood-pressure",
        "raised-pulse",
        "borderline-oxygen",
        "raised-breathing-rate",
        "slow-breathing-rate",
        "neuro-late",
        "rising-fatigue",
        "fever-medicine",
        "minor-symptom",
        "unrecognised-symptom",
        "denied-sign",
        "ice-score-late",
        "handwriting-change-late",
    ],
}


def test_the_registered_rules_keep_the_order_of_the_clinical_table():
    """Red, then emergency, then amber; within a level, the order before the split."""
    assert [rule.name for rule in RULES] == [*TABLE[Level.RED], *TABLE[Level.EMERGENCY], *TABLE[Level.AMBER]]


def test_each_rule_keeps_its_level():
    levels = {rule.name: rule.level for rule in RULES}
    assert {name: levels[name] for names in TABLE.values() for name in names} == {
        name: level for level, names in TABLE.items() for name in names
    }
