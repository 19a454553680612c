"""Allow ``python -m cart_cli``; also the `cart` console script's entry point.

Python's cycle collector is paused before anything is imported: starting cart makes tens of
thousands of objects and frees next to none, and the collector would walk them again and again
(about 8 ms of a 90 ms start). ``cli.main`` turns it back on for every command whose work can
grow with the data; a bounded command (`cart log`, a help page) runs to its end without it.
"""

import gc

gc.disable()

from cart_cli.cli import main  # noqa: E402  (after the collector is paused)

if __name__ == "__main__":
    main()
