# Faker: only the locales the synthetic notices use (console/switch/people.py), not all ~100.
#
# Overrides the hook of pyinstaller-hooks-contrib, which collects every provider's every locale
# (13 MB). Faker finds locales by globbing faker/providers/*/<locale>/__init__.py under
# sys._MEIPASS, so those files are collected as data as well as imported.
import sys
from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, for console/
from console.switch.people import ORIGINS

# the default locale, and the defaults of the bank (en_GB) and lorem (la) providers
LOCALES = {origin.locale for origin in ORIGINS} | {"en_US", "en_GB", "la"}


def _kept(module: str) -> bool:
    parts = module.split(".")  # faker.providers.<provider>[.<locale>[...]]
    return len(parts) <= 3 or parts[3] in LOCALES


hiddenimports = [name for name in collect_submodules("faker.providers") if _kept(name)]
datas = collect_data_files(
    "faker.providers",
    include_py_files=True,
    includes=["__init__.py", "*/__init__.py", *(f"*/{locale}/**/*.py" for locale in LOCALES)],
)
