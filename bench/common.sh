# Sourced by the bench scripts: where the repository and ../shared are, and
# the binary to measure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
shared="${SHARED_DIR:-$root/../shared}"

# The binary named by $1 (default the build's), as an absolute path.
bench_binary() {
  local b="${1:-$root/build/gcp-log-gardener}"
  [ -x "$b" ] || { echo "no binary at $b: build first" >&2; return 2; }
  echo "$(cd "$(dirname "$b")" && pwd)/$(basename "$b")"
}
