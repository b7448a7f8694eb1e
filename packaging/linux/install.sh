#!/bin/sh
# Install the INTERPOL dispatch console from this unpacked bundle, or remove it (--uninstall).
#
#   sudo ./install.sh              # to /opt/dispatch-console, command and menu entry in /usr/local
#   sudo /opt/dispatch-console/install.sh --uninstall
#
# Options: --prefix DIR (default /opt/dispatch-console), --bindir DIR (default /usr/local/bin),
# --datadir DIR (default /usr/local/share). DESTDIR, when set, stages everything under it.
# Profiles are never touched: they live where --profile points, outside the install.
set -eu

PREFIX=/opt/dispatch-console
BINDIR=/usr/local/bin
DATADIR=/usr/local/share
ACTION=install
DESTDIR=${DESTDIR:-}
APP=dispatch-console
METAINFO=org.dispatchconsole.DispatchConsole.metainfo.xml
ICON_SIZES="16x16 24x24 32x32 48x48 64x64 128x128 256x256"

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX=$2; shift 2 ;;
        --bindir) BINDIR=$2; shift 2 ;;
        --datadir) DATADIR=$2; shift 2 ;;
        --uninstall) ACTION=uninstall; shift ;;
        -h|--help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

case "$PREFIX" in
    /*/*) ;;
    *) echo "install.sh: --prefix must be a folder of its own, like /opt/$APP" >&2; exit 2 ;;
esac
target=$DESTDIR$PREFIX

refresh_caches() {  # menus and icon themes pick the entry up at once; harmless when missing
    [ -n "$DESTDIR" ] && return 0
    command -v update-desktop-database >/dev/null 2>&1 \
        && update-desktop-database -q "$DATADIR/applications" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 \
        && gtk-update-icon-cache -q -t "$DATADIR/icons/hicolor" || true
}

remove_files() {
    if [ -e "$target" ] && { [ ! -x "$target/$APP" ] || [ ! -d "$target/_internal" ]; }; then
        echo "install.sh: $target does not hold the console; left alone" >&2
        exit 1
    fi
    rm -rf "$target"
    rm -f "$DESTDIR$DATADIR/applications/$APP.desktop" "$DESTDIR$DATADIR/metainfo/$METAINFO" \
        "$DESTDIR$DATADIR/icons/hicolor/scalable/apps/$APP.svg"
    for size in $ICON_SIZES; do
        rm -f "$DESTDIR$DATADIR/icons/hicolor/$size/apps/$APP.png"
    done
    link=$DESTDIR$BINDIR/$APP
    if [ -L "$link" ] && [ "$(readlink "$link")" = "$PREFIX/$APP" ]; then
        rm -f "$link"
    fi
}

if [ "$ACTION" = uninstall ]; then
    remove_files
    refresh_caches
    echo "removed $PREFIX; profiles are kept"
    exit 0
fi

here=$(cd "$(dirname "$0")" && pwd)
if [ ! -x "$here/$APP" ] || [ ! -d "$here/_internal" ] || [ ! -d "$here/share" ]; then
    echo "install.sh: run it from the unpacked bundle (next to $APP, _internal/ and share/)" >&2
    exit 1
fi
if [ "$here" = "$target" ]; then
    echo "install.sh: already installed here; use --uninstall to remove it" >&2
    exit 1
fi
remove_files  # an earlier version: nothing stale is left behind
mkdir -p "$target" "$DESTDIR$BINDIR"
cp -R "$here/$APP" "$here/_internal" "$here/install.sh" "$here/share" "$target/"
ln -sfn "$PREFIX/$APP" "$DESTDIR$BINDIR/$APP"
install -D -m 644 "$here/share/applications/$APP.desktop" "$DESTDIR$DATADIR/applications/$APP.desktop"
install -D -m 644 "$here/share/metainfo/$METAINFO" "$DESTDIR$DATADIR/metainfo/$METAINFO"
install -D -m 644 "$here/share/icons/hicolor/scalable/apps/$APP.svg" \
    "$DESTDIR$DATADIR/icons/hicolor/scalable/apps/$APP.svg"
for size in $ICON_SIZES; do
    install -D -m 644 "$here/share/icons/hicolor/$size/apps/$APP.png" \
        "$DESTDIR$DATADIR/icons/hicolor/$size/apps/$APP.png"
done
refresh_caches
echo "installed to $PREFIX; check it with: $APP --self-test"
