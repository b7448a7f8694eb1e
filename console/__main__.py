"""``python -m console`` runs the same command as ``dispatch-console``."""

import sys

from console.cli import main

sys.exit(main())
