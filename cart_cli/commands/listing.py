"""What `cart --help` lists for each command, copied from the commands' registrations so
that `cart --help` does not import every command module to read them. Each row: the first
paragraph of the command's help with its white space folded (all that Click's one-line summary
reads), its short help, and whether it is hidden or deprecated. tests/test_docs.py checks that
this table matches the registrations, and prints the table to paste here when it does not."""

from __future__ import annotations

LISTING: dict[str, tuple[str | None, str | None, bool, bool]] = {
    "setup": ("Save your infusion date and your hospital team's 24-hour number.", None, False, False),
    "log": ("Record a reading or a symptom; it is checked straight away.", None, False, False),
    "check": ("Grade recent entries red / amber / green and say what to do.", None, False, False),
    "handover": (
        "The hand-over for a call to the team or a visit to A&E, in the order clinicians ask (Situation, Background, Assessment, Recommendation): the alert-card facts, what cart's check says and why, the last 24 hours' readings, symptoms, medicines and calls, and the latest ICE score, handwriting and blood results. It fits one screen and one page.",
        None,
        False,
        False,
    ),
    "neuro": ("Guided nervous-system check, for the carer.", None, False, False),
    "timeline": ("Your day of recovery, the milestones, and what comes next.", None, False, False),
    "history": ("Show what you recorded, newest first.", None, False, False),
    "symptoms": ("List the symptom names `cart log symptom` knows, by group.", None, False, False),
    "edit": ("Correct an entry, keeping what it was.", None, False, False),
    "delete": ("Remove one entry (asks first).", None, False, False),
    "undo": (
        "Take back what you did last: remove the entry you logged last, or undo the last correction (`cart edit`) if that came after it (asks first).",
        None,
        False,
        False,
    ),
    "report": (
        "Write the clinic report: charts, symptoms, findings, calls and notes, as one HTML file.",
        None,
        False,
        False,
    ),
    "chart": (
        "Draw a chart of the last days' readings in the terminal, with its reference lines.",
        None,
        False,
        False,
    ),
    "serve": (
        "Serve a phone-friendly view: the check, logging forms, history and the report.",
        None,
        False,
        False,
    ),
    "appt": ("Your own appointments: blood tests, infusions, scans, check-ups.", None, False, False),
    "med": (
        "Your medicine schedule: what to take and when. Log a dose with `cart log med NAME`.",
        None,
        False,
        False,
    ),
    "calendar": (
        "Write your schedule as a calendar file (iCalendar, .ics) for your phone.",
        None,
        False,
        False,
    ),
    "demo": ("See cart at work on two weeks of made-up readings.", None, False, False),
    "backup": ("Save a complete copy of the database.", None, False, False),
    "export": ("Write every entry, oldest first, as CSV, JSON or FHIR.", None, False, False),
    "import": ("Add the entries from a JSON export that are not stored yet.", None, False, False),
}
