"""Every command, every parameter, given a path of an unknown user or a number that is not
ASCII (issue 19 item 9): one clear line and exit 2 (or 1), never "something went wrong".

The command tree is read from the CLI itself, so a new command or option is tried too."""

from __future__ import annotations

import pytest
import typer

from cart_cli.cli import app

HOSTILE = ["~nosuchuser/r.html", "²", "#²", "9" * 5000]
# A valid value for a parameter that is not the one being tried, by its metavar.
VALID = {
    "VALUE": "37.0",
    "WORDS...": "cough",
    "SCORE": "3",
    "SYS/DIA": "120/80",
    "AMOUNT": "250ml",
    "PERCENT": "97",
    "BPM": "70",
    "NAME": "aciclovir",
    "same|changed|first": "same",
    "TITLE": "bloods",
    "WHEN": "20 Dec 10:30",
    "ID": "1",
    "FILE": "out.txt",
    "HH:MM,...": "08:00",
}


def _walk(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _walk(sub, (*path, name))


def _cases():
    for path, command in _walk(typer.main.get_command(app)):
        if hasattr(command, "commands"):
            continue
        params = [p for p in command.params if not getattr(p, "is_flag", False) and p.name != "help"]
        for tried in params:
            for value in HOSTILE:
                argv = list(path)
                for param in params:
                    is_option = bool(param.opts and param.opts[0].startswith("-"))
                    if param is tried:
                        argv += [param.opts[0], value] if is_option else [value]
                    elif not is_option and param.required:
                        argv.append(VALID.get(param.metavar or "", "x"))
                yield pytest.param(argv, id=" ".join(path) + f" {tried.name}={value[:12]}")
    for value in HOSTILE[:2]:
        yield pytest.param(["--db", value, "history"], id=f"--db={value}")


@pytest.mark.parametrize("argv", list(_cases()))
def test_every_parameter_given_an_odd_path_or_number_gets_a_clear_line(cart, argv, tmp_path, monkeypatch):
    """A set-up database, then the command: exit 1 or 2 (3 for `cart check`) with one line,
    or success (a path may be a fine file name), but never the crash message. It runs in a
    temporary folder: "²" is a fine file name for a report or a backup."""
    monkeypatch.chdir(tmp_path)
    assert cart("setup", "--infusion-date", "2026-11-20", "--phone", "0123 456 789").code == 0
    result = cart(*argv)
    assert "something went wrong" not in result.err, result
    assert "Traceback" not in result.err, result
    if result.code != 0:
        usage = 3 if argv[0] == "check" else 2  # `cart check` answers UNKNOWN (3) to what it cannot read
        assert result.code in (1, usage) and result.err.count("\n") == 1, result
