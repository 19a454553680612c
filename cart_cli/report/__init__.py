"""The clinic report: ``build`` turns entries into plain data, ``svg`` draws the charts, and
``render_html`` fills the template (autoescaped: notes and symptoms are user text).

The report's template (``templates/report.html.j2``) is turned into plain Python once, by
``compile_template`` (the module ``report_html``, committed; a test fails when it is not up
to date), so `cart report` imports no Jinja2 and compiles nothing. The hand-over page is
rendered by Jinja2 itself; its compiled template is kept in the user's cache folder (Jinja2's
bytecode cache, keyed by a checksum of the template's text, so a changed template is
compiled afresh).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import BaseLoader, BytecodeCache, Template

    from cart_cli.handover import Handover
    from cart_cli.report.build import Report

TEMPLATE = "report.html.j2"
HANDOVER_TEMPLATE = "handover.html.j2"


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (no scripts, no external files)."""
    from cart_cli.report.report_html import render

    return render(report)


def render_handover_html(handover: Handover) -> str:
    """The hand-over (`cart handover --output`) as one page, from the report's templates."""
    return template(name=HANDOVER_TEMPLATE).render(h=handover)


def template(
    loader: BaseLoader | None = None, cache: BytecodeCache | None = None, name: str = TEMPLATE
) -> Template:
    """The report's template, from the package (or ``loader``), compiled once per version of
    its text and kept in ``cache`` (default: the user's cache folder, when it can be used)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=loader or PackageLoader("cart_cli.report", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=cache if cache is not None else template_cache(),
        auto_reload=False,
    )
    return env.get_template(name)


def cache_dir(environ: Any = None) -> Path:
    """The platform's per-user cache folder for cart, e.g. ``~/.cache/cart`` on Linux."""
    env = os.environ if environ is None else environ
    home = Path(env.get("HOME") or Path.home())
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "cart"
    if sys.platform == "win32":
        return Path(env.get("LOCALAPPDATA") or home / "AppData" / "Local") / "cart" / "Cache"
    return Path(env.get("XDG_CACHE_HOME") or home / ".cache") / "cart"


def template_cache(folder: Path | None = None) -> BytecodeCache | None:
    """Jinja2's bytecode cache in ``folder`` (default: ``cache_dir()/templates``), made
    private (0700); None when it cannot be made: the template is then compiled each time."""
    from jinja2 import FileSystemBytecodeCache

    class QuietCache(FileSystemBytecodeCache):
        """A cache that is never a reason to fail: a file it cannot read or write (a full
        disk, a read-only home) only means compiling the template again."""

        def load_bytecode(self, bucket: Any) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, EOFError, ValueError, TypeError):
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    folder = folder or cache_dir() / "templates"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return QuietCache(str(folder))
