# anyascii reads its transliteration tables (anyascii/_data/*) with importlib.resources.
from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("anyascii")
