"""cart: a private, local recovery tracker for life after CAR T-cell therapy.

The package is split so the architecture shows in the file list:

- ``models``    plain data: an ``Entry`` (one reading or symptom) and the ``Plan``
- ``parsing``   turning what a person types into values (temperatures, times, ...)
- ``symptoms``  the symptom vocabulary and its everyday aliases
- ``rules``     the triage rules (red / amber / green), pure functions of data
- ``timeline``  recovery milestones counted from the infusion day
- ``store``     the SQLite file: opening, migrations, queries
- ``cli``       the command line: parses arguments and prints, nothing else
- ``render``    everything Rich draws on the screen

Nothing outside ``cli`` and ``render`` imports Typer or Rich, and nothing in the core
reads the clock: ``now`` is always passed in.
"""

__version__ = "0.1.0"
