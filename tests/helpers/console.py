"""``python -m tests.helpers.console ARGS``: the command as users run it, with the tests'
cheap key derivation (see ``tests.helpers.kdf``)."""

from __future__ import annotations

import sys

from tests.helpers.kdf import use_cheap_kdf

if __name__ == "__main__":
    use_cheap_kdf()
    from console.cli import main

    sys.exit(main())
