"""The clinic report: ``build`` turns entries into plain data, ``svg`` draws the charts, and
``render_html`` fills the Jinja2 template (autoescaped: notes and symptoms are user text).

Jinja2 is imported here, and this package only by `cart report`, so other commands never
pay for it.
"""

from __future__ import annotations

from cart_cli.report.build import Report


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (no scripts, no external files)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("cart_cli.report", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html.j2").render(r=report)
