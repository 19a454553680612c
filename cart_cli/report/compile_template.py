"""Turn the report's Jinja2 template into a plain Python module, so `cart report` need not
import Jinja2 (about a fifth of its start-up) nor compile or load the template.

Run after changing ``templates/report.html.j2``::

    python -m cart_cli.report.compile_template

It writes ``report_html.py`` next to this file (committed). ``tests/test_report_template.py``
fails when that module is not what this script makes of the template as it is now, and
compares the module's pages with Jinja2's own rendering of the template.

The template is parsed by Jinja2 itself, with the settings ``report.template`` uses
(autoescape, trim_blocks, lstrip_blocks), and each node is written as the Python Jinja2 would
run: text escaped as Jinja2 escapes it (``markupsafe.escape``), ``|safe`` text kept as it is.
Only the constructs the template uses are known; any other makes this script fail, so a new
construct in the template is never rendered wrongly.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TEMPLATE_PATH = HERE / "templates" / "report.html.j2"
MODULE_PATH = HERE / "report_html.py"

HEADER = '''"""The clinic report's HTML, generated from templates/report.html.j2 by
``python -m cart_cli.report.compile_template``: do not edit; change the template and run that.

Plain Python that imports nothing at run time, so `cart report` starts without Jinja2. Escaping is Jinja2's
(markupsafe's): & < > ' " in every value, except the charts' markup, which is made by
``report.svg`` with every text in it escaped (the template's ``|safe``).
"""

# fmt: off
# ruff: noqa
# mypy: ignore-errors
# (generated: the checks are on the template, by tests/test_report_template.py)

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from cart_cli.report.build import Report

TEMPLATE_SHA256 = "{digest}"


class _Safe(str):
    """Text that is already HTML (the template's ``|safe``)."""

    __slots__ = ()


def _s(value: object) -> str:
    return value if isinstance(value, str) else str(value)


def _e(value: object) -> str:
    if isinstance(value, _Safe):
        return value
    text = value if isinstance(value, str) else str(value)
    return (
        text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
        .replace("'", "&#39;").replace('"', "&#34;")
    )


def _cat(*parts: object) -> str:
    if any(isinstance(part, _Safe) for part in parts):
        return _Safe("".join(_e(part) for part in parts))
    return "".join(_s(part) for part in parts)


def _join(value: Iterable[object], separator: object) -> str:
    items = list(value)
    if any(isinstance(item, _Safe) for item in items):
        return _Safe(_e(separator).join(_e(item) for item in items))
    return _s(separator).join(_s(item) for item in items)


def render(r: Report) -> str:
    """The report page for ``r`` (a ``report.build.Report``)."""
    out = []
    w = out.append
'''


class Unsupported(Exception):
    """A template construct this compiler does not know."""


def environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(str(TEMPLATE_PATH.parent)),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.loops: list[int] = []  # the loops we are in (their numbers), innermost last
        self.count = 0

    def line(self, depth: int, text: str) -> None:
        self.lines.append("    " * depth + text)

    def expr(self, node: Any) -> str:
        from jinja2 import nodes

        if isinstance(node, nodes.Const):
            return ascii(node.value)
        if isinstance(node, nodes.Name):
            return "r" if node.name == "r" else f"l_{node.name}"
        if isinstance(node, nodes.Getattr):
            if isinstance(node.node, nodes.Name) and node.node.name == "loop":
                if node.attr != "last" or not self.loops:
                    raise Unsupported(f"loop.{node.attr}")
                n = self.loops[-1]
                return f"(i{n} == len(it{n}) - 1)"
            return f"{self.expr(node.node)}.{node.attr}"
        if isinstance(node, nodes.Getitem):
            return f"{self.expr(node.node)}[{self.expr(node.arg)}]"
        if isinstance(node, nodes.Slice):
            parts = [self.expr(p) if p is not None else "" for p in (node.start, node.stop)]
            if node.step is not None:
                parts.append(self.expr(node.step))
            return ":".join(parts)
        if isinstance(node, nodes.Neg):
            return f"(-{self.expr(node.node)})"
        if isinstance(node, nodes.And):
            return f"({self.expr(node.left)} and {self.expr(node.right)})"
        if isinstance(node, nodes.Compare):
            ops = {"ne": "!=", "eq": "==", "gt": ">", "lt": "<", "gteq": ">=", "lteq": "<="}
            text = self.expr(node.expr)
            for operand in node.ops:
                if operand.op not in ops:
                    raise Unsupported(f"comparison {operand.op}")
                text += f" {ops[operand.op]} {self.expr(operand.expr)}"
            return f"({text})"
        if isinstance(node, nodes.Concat):
            return f"_cat({', '.join(self.expr(n) for n in node.nodes)})"
        if isinstance(node, nodes.CondExpr):
            # Without an else, Jinja2 gives an undefined value, which prints as nothing (only
            # allowed where it is printed: see output()).
            other = '""' if node.expr2 is None else self.expr(node.expr2)
            return f"({self.expr(node.expr1)} if {self.expr(node.test)} else {other})"
        if isinstance(node, nodes.Call):
            if node.kwargs or node.dyn_args or node.dyn_kwargs:
                raise Unsupported("call with keywords")
            return f"{self.expr(node.node)}({', '.join(self.expr(a) for a in node.args)})"
        if isinstance(node, nodes.Filter):
            if node.kwargs or node.dyn_args or node.dyn_kwargs or node.node is None:
                raise Unsupported(f"filter {node.name} with keywords")
            value = self.expr(node.node)
            args = [self.expr(a) for a in node.args]
            if node.name == "upper" and not args:
                return f"_s({value}).upper()"
            if node.name == "length" and not args:
                return f"len({value})"
            if node.name == "safe" and not args:
                return f"_Safe({value})"
            if node.name == "join" and len(args) <= 1:
                return f"_join({value}, {args[0] if args else repr('')})"
            raise Unsupported(f"filter {node.name}")
        if isinstance(node, nodes.Tuple):
            return ", ".join(self.expr(n) for n in node.items)
        raise Unsupported(type(node).__name__)

    def output(self, node: Any, depth: int) -> None:
        from jinja2 import nodes

        for child in node.nodes:
            if isinstance(child, nodes.TemplateData):
                if child.data:
                    self.line(depth, f"w({child.data!a})")  # ASCII source (\\u escapes)
            else:
                for inner in child.find_all(nodes.CondExpr):
                    if inner.expr2 is None and inner is not child:
                        raise Unsupported("an if-expression without else inside another expression")
                self.line(depth, f"w(_e({self.expr(child)}))")

    def body(self, body: list[Any], depth: int) -> None:
        from jinja2 import nodes

        if not body:
            self.line(depth, "pass")
        for node in body:
            if isinstance(node, nodes.Output):
                self.output(node, depth)
            elif isinstance(node, nodes.If):
                self.line(depth, f"if {self.expr(node.test)}:")
                self.body(node.body, depth + 1)
                for elif_ in node.elif_:
                    self.line(depth, f"elif {self.expr(elif_.test)}:")
                    self.body(elif_.body, depth + 1)
                if node.else_:
                    self.line(depth, "else:")
                    self.body(node.else_, depth + 1)
            elif isinstance(node, nodes.For):
                if node.test is not None or node.recursive:
                    raise Unsupported("a filtered or recursive loop")
                self.count += 1
                n = self.count
                self.line(depth, f"it{n} = list({self.expr(node.iter)})")
                self.line(depth, f"for i{n}, ({self.expr(node.target)}) in enumerate(it{n}):")
                self.loops.append(n)
                self.body(node.body, depth + 1)
                self.loops.pop()
                if node.else_:
                    self.line(depth, f"if not it{n}:")
                    self.body(node.else_, depth + 1)
            elif isinstance(node, nodes.Assign):
                self.line(depth, f"{self.expr(node.target)} = {self.expr(node.node)}")
            else:
                raise Unsupported(type(node).__name__)


def compiled_source() -> str:
    """The Python module made from the template as it is now."""
    source = TEMPLATE_PATH.read_text(encoding="utf-8")
    tree = environment().parse(source)
    writer = _Writer()
    writer.body(tree.body, 1)
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
    return HEADER.replace("{digest}", digest) + "\n".join(writer.lines) + '\n    return "".join(out)\n'


def main() -> None:
    MODULE_PATH.write_text(compiled_source(), encoding="utf-8")
    print(f"wrote {MODULE_PATH.name}")


if __name__ == "__main__":
    main()
