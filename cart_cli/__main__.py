"""Allow ``python -m cart_cli``."""

from cart_cli.cli import main

main()
