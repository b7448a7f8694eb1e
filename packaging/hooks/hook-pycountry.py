# pycountry: the ISO databases only; its gettext translations (22 MB) are never used.
#
# Overrides the hook of pyinstaller-hooks-contrib, which collects every data file.
from PyInstaller.utils.hooks import collect_data_files, copy_metadata

datas = copy_metadata("pycountry") + collect_data_files("pycountry", excludes=["locales"])
