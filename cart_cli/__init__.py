"""cart: a private, local recovery tracker for life after CAR T-cell therapy.

The package is split so the architecture shows in the file list. From the top down:

- ``cli``, ``commands/``  the command line: parse what was typed, call the core, print
- ``render/``, ``report/``  what a person sees: Rich views in the terminal, the HTML report
- ``formats/``   files for other programs: the calendar (iCalendar) and FHIR R4
- the core: ``rules`` (triage), ``neuro`` (ICE score, handwriting), ``symptoms`` (the list),
  ``language/`` (reading people's own words: the one normaliser, concepts, negation,
  questions, medicine names) and ``signs`` (what an entry counts as), ``medicines`` (doses
  that can hide a fever), ``timeline`` and ``schedule`` (milestones, appointments, the
  medicine schedule), ``verdict`` (the one verdict every screen prints) with ``coverage``
  (what a call covers), ``transfer``
  (backup, import) with ``jsonstream`` (reading an export)
  and ``import_checks``, ``exporters`` (the export formats, one registry), ``parsing``
- the data: ``models`` (Entry, Plan, the table of kinds), ``levels``, ``thresholds``,
  ``shapes`` (the JSON shapes), ``store`` and ``migrations`` (the only SQLite code),
  ``files`` (where files go, put in place whole; operating-system errors in words)

Nothing below ``cli``, ``commands``, ``render`` and ``report`` imports Typer or Rich, and
nothing in the core reads the clock: ``now`` is always passed in."""

__version__ = "0.1.0"
