# Shared shell helpers for scripts/: paths of the build cache and a sudo-if-needed wrapper.
# Sourced, not run.
LIANDAN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Third-party builds live outside the clone so a fresh clone reuses them; keyed by version.
LIANDAN_CACHE=${LIANDAN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/liandan}
IMGUI_VERSION=1.86
SDL2_VERSION=2.26.5
ZLIB_VERSION=1.2.13
IMGUI_DIR=$LIANDAN_CACHE/src/imgui-$IMGUI_VERSION
SDL2_SRC_DIR=$LIANDAN_CACHE/src/SDL2-$SDL2_VERSION
ZLIB_SRC_DIR=$LIANDAN_CACHE/src/zlib-$ZLIB_VERSION
# emcc of Debian needs Debian's acorn, which node does not find on its own.
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

log() { printf '[liandan] %s\n' "$*" >&2; }
