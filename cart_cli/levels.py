"""The levels of a check and of each finding, in one place.

A ``StrEnum``: each level is its own lower-case string, so it compares equal to ``"red"`` and
``json.dumps`` writes it as ``"red"``: the JSON output is the same as with bare strings.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """A finding's level, or a whole check's. An emergency is the highest red."""

    EMERGENCY = "emergency"
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    UNKNOWN = "unknown"

    @property
    def rank(self) -> int:
        """Higher is more urgent. UNKNOWN sits above GREEN: not knowing is less reassuring."""
        return _RANK[self]


_RANK = {Level.GREEN: 0, Level.UNKNOWN: 1, Level.AMBER: 2, Level.RED: 3, Level.EMERGENCY: 4}

# The levels a finding can have (a check can also be GREEN or UNKNOWN).
FINDING_LEVELS = (Level.AMBER, Level.RED, Level.EMERGENCY)
