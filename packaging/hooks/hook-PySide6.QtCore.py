# QtCore without Qt's translations: the console's interface is English only.
#
# Overrides PyInstaller's own hook (the same call, then the translations are left out).
from pathlib import PurePath

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
datas = [(source, dest) for source, dest in datas if "translations" not in PurePath(dest).parts]
