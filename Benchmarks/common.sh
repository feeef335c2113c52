# Sourced by the benchmark scripts: where things are, a scratch directory removed on exit, and
# a release build of the products a script needs. Sets: bench, repo, out, tmp, bin.

bench=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
repo=$(dirname "$bench")
out="$bench/out"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Builds the given products in release (only them, so work in progress under Tests/ cannot break
# or slow a benchmark) and sets `bin` to the folder holding them.
build_release() {
    echo "==> building (release)" >&2
    local product
    for product in "$@"; do
        (cd "$repo" && swift build -c release --product "$product") >&2
    done
    bin=$(cd "$repo" && swift build -c release --show-bin-path)
}

# A port nobody listens on (the kernel's tables, in hex). Good enough for a local benchmark.
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 40000))
        if ! grep -qi ":$(printf '%04X' "$port") " /proc/net/tcp /proc/net/tcp6 2>/dev/null; then
            echo "$port"
            return
        fi
    done
}
