"""Documentation tests, in the spirit of sqlite-utils' test_docs.py.

Every command and subcommand has `--help` with examples, and every command is in README.md's
table. The command list is read from the CLI itself, so a new command cannot be added without
help and docs. Every example (in the README, in docs/*.md and in each command's help) must at
least be a valid command line: its command and options exist. Every link between the README
and docs/*.md resolves, every module of cart_cli/ is described in docs/architecture.md, and the
README stays a quick start (the manual lives in docs/).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer

from cart_cli.cli import app

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
DOCS = sorted((REPO / "docs").glob("*.md"))
README_MAX_LINES = 200  # the README is a quick start; the manual is docs/manual.md


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
    # A group's subcommands may be listed together: `cart log temp|symptom|...`, `cart appt add|list`.
    listed = {
        (group, name)
        for group, names in re.findall(r"cart ([a-z]+) ([a-z0-9]+(?:\\?\|[a-z0-9]+)+)", text)
        for name in re.split(r"\\?\|", names)
    }
    missing = [name for name in missing if tuple(name.split()[1:]) not in listed]
    assert missing == []


def test_the_readme_command_table_names_every_command_and_subcommand():
    """The README's command table (not only its prose) names every command and subcommand:
    `cart log temp|symptom` names `log temp` and `log symptom`."""
    rows = [line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| `cart")]
    named: set[tuple[str, ...]] = set()
    for code in re.findall(r"`(cart[^`]*)`", "\n".join(rows)):
        words = [word for word in code.replace("\\|", "|").split()[1:] if not word.startswith("-")]
        if words:
            named.add((words[0],))
            subs = words[1].split("|") if len(words) > 1 else []
            named |= {(words[0], sub) for sub in subs if re.fullmatch("[a-z0-9]+", sub)}
    groups = {path[:1] for path in LEAF_PATHS if len(path) > 1}
    assert set(LEAF_PATHS) - groups - named == set()


def test_the_readme_is_a_quick_start_not_the_manual():
    """README.md stays short (about 200 lines); the manual lives in docs/."""
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, len(lines)
    assert "docs/manual.md" in "\n".join(lines)


def _examples_in(path: Path) -> list[str]:
    """The `cart ...` lines of a Markdown file's code blocks (```sh, ```bash, ```console, plain);
    in a block that shows a session, the lines after a "$ " prompt."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", text, flags=re.DOTALL)
    found = []
    for block in blocks:
        lines = [line.strip() for line in block.splitlines()]
        if any(line.startswith("$ ") for line in lines):  # a session: commands after "$ ", then output
            lines = [line[2:] for line in lines if line.startswith("$ ")]
        found += [line for line in lines if line.startswith("cart ")]
    return found


README_EXAMPLES = _examples_in(README)
DOCS_EXAMPLES = [(path.name, line) for path in DOCS for line in _examples_in(path)]


@pytest.mark.parametrize("line", README_EXAMPLES)
def test_every_readme_example_is_a_valid_command_line(cart, line):
    """Each `cart ...` line in a README code block names a real command and real options."""
    result = cart(*_example_argv(line), "--help")
    assert result.code == 0, (line, result)
    assert result.err == "", (line, result)


def test_the_docs_have_examples_to_check():
    """The manual's examples are found (the pattern still matches how the docs are written)."""
    assert len([line for name, line in DOCS_EXAMPLES if name == "manual.md"]) > 30


@pytest.mark.parametrize(
    ("doc", "line"), DOCS_EXAMPLES, ids=[f"{doc}: {line}" for doc, line in DOCS_EXAMPLES]
)
def test_every_docs_example_is_a_valid_command_line(cart, doc, line):
    """Each `cart ...` line in a code block of docs/*.md names a real command and real options."""
    result = cart(*_example_argv(line), "--help")
    assert result.code == 0, (doc, line, result)
    assert result.err == "", (doc, line, result)


def _anchors(path: Path) -> set[str]:
    """The #anchors GitHub makes for a Markdown file's headings (lower case, punctuation
    dropped except - and _, spaces as -)."""
    found = set()
    for heading in re.findall(r"^#{1,6} (.+)$", path.read_text(encoding="utf-8"), flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        found.add(slug)
    return found


def _links(path: Path) -> list[str]:
    """The relative link targets of a Markdown file: [text](target) and <img src="target">."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)  # code blocks hold no links
    targets = re.findall(r"\]\(([^)\s]+)\)", text) + re.findall(r'<img src="([^"]+)"', text)
    return [t for t in targets if not re.match(r"[a-z]+:", t)]  # http:, https:, mailto:


LINKS = [(path, target) for path in [README, *DOCS] for target in _links(path)]


def test_the_readme_links_to_every_page_of_the_docs():
    """Every page of docs/ is reachable from the README; there are links to check."""
    assert len(LINKS) > 20
    from_readme = {(REPO / target.split("#")[0]).resolve() for path, target in LINKS if path == README}
    assert [page.name for page in DOCS if page.resolve() not in from_readme] == []


@pytest.mark.parametrize(("path", "target"), LINKS, ids=[f"{p.relative_to(REPO)} -> {t}" for p, t in LINKS])
def test_every_link_in_the_readme_and_docs_resolves(path, target):
    """A relative link names a file that exists, and an #anchor a heading that exists."""
    file_part, _, anchor = target.partition("#")
    linked = (path.parent / file_part).resolve() if file_part else path
    assert linked.exists(), f"{path.name}: {target} (no such file)"
    if anchor:
        assert linked.suffix == ".md", f"{path.name}: {target} (an anchor into a non-Markdown file)"
        assert anchor in _anchors(linked), f"{path.name}: {target} (no such heading)"


def test_every_module_of_the_package_is_described_in_the_architecture_page():
    """docs/architecture.md names every module and folder of cart_cli/ (one paragraph per group)."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = REPO / "cart_cli"
    names = [
        f"{path.name}/" if path.is_dir() else path.name
        for path in sorted(package.iterdir())
        if not path.name.startswith(("_", ".")) or path.name == "__main__.py"
    ]
    missing = [name for name in names if f"`{name}" not in text]
    assert missing == []


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
def test_every_option_appears_in_the_docs(command, option):
    """The README or a page of docs/ (the manual, mostly) mentions every long option."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in [README, *DOCS])
    assert option in text, f"{command} {option}"


def _library_example() -> str:
    """The library example of docs/development.md: the first python block after "used as a library"."""
    text = (REPO / "docs" / "development.md").read_text(encoding="utf-8").split("used as a library", 1)[1]
    return text.split("```python\n", 1)[1].split("```", 1)[0]


def test_readme_library_example_runs_without_a_database(db_path, capsys):
    """With no database the library example of docs/development.md says so, and creates no file."""
    exec(compile(_library_example(), "docs/development.md", "exec"), {})
    assert capsys.readouterr().out == "no cart database yet\n"
    assert not db_path.exists()


def test_readme_library_example_runs_on_a_real_database(cart, db_path, capsys):
    """On a database with a fever logged, the library example prints the red level."""
    from datetime import date, timedelta

    infusion = (date.today() - timedelta(days=5)).isoformat()
    assert cart("setup", "--infusion-date", infusion, "--phone", "01234 567890").code == 0
    assert cart("log", "temp", "38.6").code == 0
    capsys.readouterr()
    exec(compile(_library_example(), "docs/development.md", "exec"), {})
    level, rules = capsys.readouterr().out.strip().split(" ", 1)
    assert level == "red"
    assert "fever" in rules


def test_the_help_listing_matches_the_commands():
    """`cart --help` lists the commands from ``commands.listing`` without importing them: the
    table must say exactly what the registrations say (on failure, paste the printed table)."""
    from cart_cli.commands.base import COMMANDS, _summary, listing_row, load_commands
    from cart_cli.commands.listing import LISTING

    load_commands()
    expected = {name: listing_row(_summary(app, name)) for name in COMMANDS}
    if expected != LISTING:
        print("LISTING = {\n" + "".join(f"    {name!r}: {row!r},\n" for name, row in expected.items()) + "}")
    assert expected == LISTING
