"""Documentation tests, in the spirit of sqlite-utils' test_docs.py.

Every command and subcommand has `--help` with examples, and every command is in README.md.
The command list is read from the CLI itself, so a new command cannot be added without help
and docs. Every example (in the README and in each command's help) must at least
be a valid command line: its command and options exist.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer

from cart_cli.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"


def _walk(command, path: tuple[str, ...] = ()):
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _walk(sub, (*path, name))


COMMANDS = dict(_walk(typer.main.get_command(app)))
COMMAND_PATHS = list(COMMANDS)
LEAF_PATHS = [path for path, command in COMMANDS.items() if path and not hasattr(command, "commands")]


def _name(path: tuple[str, ...]) -> str:
    return " ".join(("cart", *path))


def _examples_in_help(text: str) -> list[str]:
    """The indented `cart ...` lines under "Examples:" in a help text."""
    lines = text.split("Examples:", 1)[1].splitlines() if "Examples:" in text else []
    return [line.strip() for line in lines if line.strip().startswith("cart ")]


def _example_argv(line: str) -> list[str]:
    """The arguments of an example line, without `cart`, comments and trailing asides."""
    line = re.split(r"\s+#|\s+\(", line, maxsplit=1)[0]
    return shlex.split(line)[1:]


def test_the_command_tree_is_not_empty():
    """The walk finds the commands the product is built around."""
    for expected in [("setup",), ("log", "temp"), ("check",), ("timeline",), ("history",), ("demo",)]:
        assert expected in COMMANDS


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=[_name(p) for p in COMMAND_PATHS])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_command_has_help_with_examples(cart, path, flag):
    """`cart ... --help` (and -h) exits 0 and shows usage and at least one example."""
    result = cart(*path, flag)
    assert result.code == 0, result
    assert "Usage:" in result.out
    assert "Examples" in result.out
    assert _examples_in_help(result.out), result.out
    assert result.err == ""


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=[_name(p) for p in COMMAND_PATHS])
def test_every_command_has_a_one_line_summary(path):
    """Every command says what it does in its help summary."""
    command = COMMANDS[path]
    assert (command.help or "").strip(), _name(path)


def _help_examples() -> list[tuple[str, str]]:
    found = []
    for path, command in COMMANDS.items():
        epilog = command.epilog or ""
        for line in _examples_in_help(epilog):
            found.append((_name(path), line))
    return found


HELP_EXAMPLES = _help_examples()


@pytest.mark.parametrize(("where", "line"), HELP_EXAMPLES, ids=[line for _, line in HELP_EXAMPLES])
def test_every_help_example_is_a_valid_command_line(cart, where, line):
    """Each example in a command's help names a real command and real options."""
    result = cart(*_example_argv(line), "--help")
    assert result.code == 0, (where, line, result)
    assert result.err == "", (where, line, result)


def test_every_command_appears_in_the_readme():
    """README.md mentions every command by its full name, e.g. `cart log temp`."""
    text = README.read_text(encoding="utf-8")
    missing = [_name(path) for path in LEAF_PATHS if _name(path) not in text]
    if ("log",) in COMMANDS:
        # The README may list the log kinds together: `cart log temp|symptom|...`.
        listed = re.search(r"cart log ([a-z|\\]+)", text)
        kinds = set(re.split(r"[|\\]+", listed.group(1))) if listed else set()
        missing = [
            name for name in missing if not (name.startswith("cart log ") and name.split()[-1] in kinds)
        ]
    assert missing == []


def _readme_examples() -> list[str]:
    text = README.read_text(encoding="utf-8") if README.exists() else ""
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", text, flags=re.DOTALL)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith("cart ")]


README_EXAMPLES = _readme_examples()


@pytest.mark.parametrize("line", README_EXAMPLES)
def test_every_readme_example_is_a_valid_command_line(cart, line):
    """Each `cart ...` line in a README code block names a real command and real options."""
    result = cart(*_example_argv(line), "--help")
    assert result.code == 0, (line, result)
    assert result.err == "", (line, result)


def test_help_lists_every_command_in_the_chosen_order(cart):
    """`cart --help` lists the commands in HELP_ORDER (setup, log, check first), and every
    command has a place in it, so a new command cannot end up at a random spot."""
    from cart_cli.commands.base import HELP_ORDER

    names = sorted(typer.main.get_command(app).commands)
    assert sorted(HELP_ORDER) == names
    listed = [
        line.split()[0]
        for line in cart("--help").out.split("Commands:")[1].split("Examples:")[0].splitlines()
        if line.strip()
    ]
    assert listed == list(HELP_ORDER)


def test_the_command_table_names_the_modules_that_define_each_command():
    """cart builds only the command it runs, importing the modules ``COMMANDS`` names for it:
    every registered command (and every subcommand of a group) is in the table, defined in
    one of the modules on its line, and every name in the table is registered."""
    from cart_cli.commands.base import COMMANDS

    defined: dict[str, set[str]] = {}
    for info in app.registered_commands:
        name = info.name or typer.main.get_command_name(info.callback.__name__)
        defined.setdefault(name, set()).add(info.callback.__module__)
    for group in app.registered_groups:
        for info in group.typer_instance.registered_commands:
            defined.setdefault(group.name, set()).add(info.callback.__module__)
    assert sorted(defined) == sorted(COMMANDS)
    for name, modules in defined.items():
        assert {module.rsplit(".", 1)[1] for module in modules} <= set(COMMANDS[name]), name


@pytest.mark.parametrize(
    ("typed", "suggested"), [("lgo", "'log'"), ("histroy", "'history'"), ("log tmep", "'temp'")]
)
def test_a_mistyped_command_is_refused_with_a_suggestion(cart, typed, suggested):
    """A command that does not exist (at the top or in a group) is a usage error naming the
    closest commands, built or not."""
    result = cart(*typed.split(), "1")
    assert result.code == 2, result
    assert "No such command" in result.err and f"Did you mean {suggested}" in result.err, result


def test_version_is_printed(cart):
    """`cart --version` prints the version and exits 0."""
    result = cart("--version")
    assert result.code == 0
    assert re.fullmatch(r"cart \d+\.\d+\.\d+\S*\n", result.out)


OPTIONS = [
    (_name(path), option)
    for path, command in COMMANDS.items()
    for param in command.params
    for option in param.opts
    if option.startswith("--") and option != "--help"
]


@pytest.mark.parametrize(("command", "option"), OPTIONS, ids=[f"{c} {o}" for c, o in OPTIONS])
def test_every_option_appears_in_the_readme(command, option):
    """README.md mentions every long option of every command."""
    assert option in README.read_text(encoding="utf-8"), f"{command} {option}"


def _library_example() -> str:
    """The README's library example: the first python block after "used as a library"."""
    text = README.read_text(encoding="utf-8").split("used as a library", 1)[1]
    return text.split("```python\n", 1)[1].split("```", 1)[0]


def test_readme_library_example_runs_without_a_database(db_path, capsys):
    """With no database the README's library example says so, and creates no file."""
    exec(compile(_library_example(), "README.md", "exec"), {})
    assert capsys.readouterr().out == "no cart database yet\n"
    assert not db_path.exists()


def test_readme_library_example_runs_on_a_real_database(cart, db_path, capsys):
    """On a database with a fever logged, the README's library example prints the red level."""
    from datetime import date, timedelta

    infusion = (date.today() - timedelta(days=5)).isoformat()
    assert cart("setup", "--infusion-date", infusion, "--phone", "01234 567890").code == 0
    assert cart("log", "temp", "38.6").code == 0
    capsys.readouterr()
    exec(compile(_library_example(), "README.md", "exec"), {})
    level, rules = capsys.readouterr().out.strip().split(" ", 1)
    assert level == "red"
    assert "fever" in rules
