"""The one-folder bundle: PyInstaller builds it from packaging/dispatch-console.spec, then it runs.

Built once per module into a temporary folder (about half a minute); the bundled executable
then answers ``--version`` and passes ``--self-test`` offscreen, as an installed copy would.
Without PyInstaller (the ``package`` extra) the bundle's tests are skipped, saying so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "dispatch-console.spec"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
MAX_MIB = 240  # trimmed: about 200 MiB; everything PyInstaller would take is about 260


@dataclass(frozen=True)
class Bundle:
    folder: Path
    build_seconds: float

    @property
    def mib(self) -> float:
        files = (path for path in self.folder.rglob("*") if path.is_file())
        return sum(path.lstat().st_size for path in files) / 2**20

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.folder / f"dispatch-console{EXE_SUFFIX}"), *args],
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    pytest.importorskip(
        "PyInstaller", reason="PyInstaller not installed: pip install -e '.[package]'"
    )
    work = tmp_path_factory.mktemp("package")
    started = time.monotonic()
    built = subprocess.run(
        [
            *(sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"),
            *(str(SPEC), "--distpath", str(work / "dist"), "--workpath", str(work / "build")),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-4000:]
    return Bundle(work / "dist" / "dispatch-console", time.monotonic() - started)


def test_the_source_tree_passes_the_self_test_with_no_display() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    checked = subprocess.run(
        [sys.executable, "-m", "console", "--self-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("self-test OK: "), checked.stdout


def test_the_bundle_tells_its_version(bundle: Bundle, request: pytest.FixtureRequest) -> None:
    # kept in the JUnit report (as properties) and shown with -s
    request.node.user_properties += [
        ("build_seconds", round(bundle.build_seconds, 1)),
        ("bundle_mib", round(bundle.mib, 1)),
    ]
    print(f"bundle: {bundle.mib:.0f} MiB, built in {bundle.build_seconds:.0f} s")
    shown = bundle.run("--version")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == f"dispatch-console {version('dispatch-console')}\n"


def test_the_bundle_passes_its_self_test(bundle: Bundle) -> None:
    checked = bundle.run("--self-test")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert re.fullmatch(
        r"self-test OK: \d+ candidates?, record \d{4}/\d+ shown\n", checked.stdout
    ), checked.stdout


def test_the_bundle_leaves_out_what_the_console_never_uses(bundle: Bundle) -> None:
    internal = bundle.folder / "_internal"
    plugins = internal / "PySide6" / "Qt" / "plugins"
    platforms = {
        path.name.split(".")[0].removeprefix("lib") for path in plugins.glob("platforms/*")
    }
    assert platforms <= {"qxcb", "qwayland", "qwindows", "qoffscreen"}
    assert "qoffscreen" in platforms  # the self-test needs it
    assert not (plugins / "tls").exists()
    assert not (internal / "PySide6" / "Qt" / "translations").exists()
    assert not (internal / "pycountry" / "locales").exists()
    assert not (internal / "faker" / "providers" / "person" / "zu_ZA").exists()
    assert not (internal / "mypy").exists()
    assert bundle.mib < MAX_MIB


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux desktop files")
def test_install_sh_puts_valid_desktop_files_in_place(bundle: Bundle, tmp_path: Path) -> None:
    missing = [tool for tool in ("desktop-file-validate", "appstreamcli") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed ('make test' installs them)")
    stage = tmp_path / "stage"
    env = {**os.environ, "DESTDIR": str(stage)}

    def install(*args: str) -> None:
        done = subprocess.run(
            ["sh", str(bundle.folder / "install.sh"), *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr

    install()
    assert (stage / "opt" / "dispatch-console" / "dispatch-console").is_file()
    command = stage / "usr" / "local" / "bin" / "dispatch-console"
    assert os.readlink(command) == "/opt/dispatch-console/dispatch-console"
    share = stage / "usr" / "local" / "share"
    entry = share / "applications" / "dispatch-console.desktop"
    desktop = subprocess.run(
        ["desktop-file-validate", str(entry)], capture_output=True, text=True, check=False
    )
    assert desktop.returncode == 0 and not desktop.stdout.strip(), desktop.stdout
    tree = subprocess.run(
        ["appstreamcli", "validate-tree", "--no-net", str(stage / "usr" / "local")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert tree.returncode == 0, tree.stdout + tree.stderr

    install("--uninstall")
    assert not (stage / "opt" / "dispatch-console").exists()
    assert not command.is_symlink() and not entry.exists()
