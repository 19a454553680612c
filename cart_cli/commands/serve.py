"""`cart serve`: the phone view, a small web server over the same database (``cart_cli.web``)."""

from __future__ import annotations

import contextlib

import typer

from cart_cli.commands.base import app, examples, state_of


@app.command(
    epilog=examples(
        "cart serve",
        "cart serve --port 8765 --open",
        "cart serve --lan",
        "cart serve --lan --read-only",
        note="Private by default: only this computer can connect, and each device pairs once "
        "with the one-time link printed here. --lan lets a phone on the home network pair by "
        "scanning the code shown. Ctrl-C stops the server.",
    )
)
def serve(
    ctx: typer.Context,
    port: int = typer.Option(8765, "--port", metavar="N", min=0, max=65535, help="The port (default 8765)."),
    lan: bool = typer.Option(False, "--lan", help="Let devices on the home network pair (shows a QR code)."),
    read_only: bool = typer.Option(False, "--read-only", help="Look only: no logging, no removing."),
    open_browser: bool = typer.Option(
        False, "--open", help="Open the pairing link in this computer's browser."
    ),
) -> None:
    """Serve a phone-friendly view: the check, logging forms, history and the report."""
    from cart_cli.web.server import serve as run_server

    def say(line: str) -> None:
        typer.echo(line)

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: uvicorn has already shut down cleanly
        run_server(
            state_of(ctx).db_path, port, lan=lan, read_only=read_only, open_browser=open_browser, say=say
        )
    typer.echo("cart serve: stopped.")
