# QtGui with only the Qt plugins a desktop widget app uses on X11, Wayland and Windows.
#
# Overrides PyInstaller's own hook (the same call, then the plugins are chosen). Left out:
# embedded-device platforms (eglfs, linuxfb, vnc, vkkhrdisplay), evdev input, the GTK 3 theme
# (it pulls in GTK's libraries), and image formats no record uses. `offscreen` stays: the
# self-test runs on it.
from pathlib import PurePath

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

ALL = None
KEEP = {  # plugin type -> plugin names kept (ALL: every one)
    "platforms": {"qxcb", "qwayland", "qwindows", "qoffscreen"},
    "platformthemes": {"qxdgdesktopportal"},
    "platforminputcontexts": ALL,  # compose keys and input methods: names in every script
    "imageformats": {"qjpeg", "qsvg", "qico"},
    "iconengines": ALL,
    "accessiblebridge": ALL,
    "xcbglintegrations": ALL,
    "wayland-shell-integration": {"xdg-shell"},
    "wayland-decoration-client": ALL,
    "wayland-graphics-integration-client": ALL,
}


def _kept(source: str, dest: str) -> bool:
    parts = PurePath(dest).parts
    if "plugins" not in parts or parts[-1] == "plugins":
        return True
    kind = parts[parts.index("plugins") + 1]
    name = PurePath(source).name.split(".")[0].removeprefix("lib")
    return kind in KEEP and (KEEP[kind] is ALL or name in KEEP[kind])


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, dest) for source, dest in binaries if _kept(source, dest)]
