# Shared shell helpers for scripts/: the third-party versions, paths of the build cache and a
# sudo-if-needed wrapper. Sourced, not run.
LIANDAN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Third-party builds live outside the clone so a fresh clone reuses them; keyed by version.
LIANDAN_CACHE=${LIANDAN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/liandan}
. "$LIANDAN_ROOT/cmake/versions.env"
# A source package's folder in the cache: name and Debian version without its epoch (no ':' in paths).
source_dir() { echo "$LIANDAN_CACHE/src/$1-${2#*:}"; }
IMGUI_DIR=$(source_dir imgui "$IMGUI_DEBIAN")
SDL2_SRC_DIR=$(source_dir libsdl2 "$SDL2_DEBIAN")
ZLIB_SRC_DIR=$(source_dir zlib "$ZLIB_DEBIAN")
# emcc of Debian needs Debian's acorn, which node does not find on its own.
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

log() { printf '[liandan] %s\n' "$*" >&2; }
die() { printf '[liandan] error: %s\n' "$*" >&2; exit 1; }
