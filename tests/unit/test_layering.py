"""House rule: only console/gui/ and console/app.py import PySide6 or qasync."""

import ast
from pathlib import Path

import console

QT_MODULES = {"PySide6", "qasync", "shiboken6"}
ALLOWED = ("gui/", "app.py")


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_qt_is_imported_only_by_the_gui_and_the_composition_root() -> None:
    package = Path(console.__file__).parent
    offenders = [
        str(path.relative_to(package))
        for path in sorted(package.rglob("*.py"))
        if not str(path.relative_to(package)).startswith(ALLOWED)
        and _imported_roots(path) & QT_MODULES
    ]
    assert offenders == []


def test_the_check_sees_a_qt_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from PySide6.QtWidgets import QLabel\n")
    assert "PySide6" in _imported_roots(sample)
