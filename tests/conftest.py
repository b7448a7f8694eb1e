"""Test set-up shared by every layer: offscreen Qt before any QApplication, common fixtures."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.helpers.network", "tests.helpers.cli"]
