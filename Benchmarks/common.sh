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

say() { echo "==> $*" >&2; }

# Load from one address is what these scripts make: the server's per-address connection cap and
# rate limits (defaults a shop never notices, a script always does) would measure themselves.
# Set either before running a script to measure with them.
export ORDERBOT_RATE_LIMITS=${ORDERBOT_RATE_LIMITS:-off}
export ORDERBOT_MAX_CONNECTIONS_PER_ADDRESS=${ORDERBOT_MAX_CONNECTIONS_PER_ADDRESS:-65000}

# For scripts that run `orderbot serve`: where the databases go ($1, e.g. /dev/shm, when given;
# else the scratch directory) in `data`, and on exit the server in `server_pid` stopped and both
# directories removed.
use_server_data() { # [dir] name
    data=$tmp
    if [[ -n $1 ]]; then data=$(mktemp -d "$1/orderbot-$2.XXXXXX"); fi
    server_pid=
    # Only the server is waited for: a bare `wait` would also wait for a `>(tee …)` of the
    # script's own output, which ends only when the script does (pages.sh hung there).
    trap 'if [[ -n $server_pid ]]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; rm -rf "$tmp" "$data"' EXIT
    trap 'exit 130' INT TERM
}

# Installs with apt-get the packages of the commands that are missing ("command:package …").
need_commands() {
    local missing=() pair
    for pair in "$@"; do command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}"); done
    if ((${#missing[@]})); then
        say "installing ${missing[*]}"
        apt-get update
        apt-get install -y "${missing[@]}"
    fi
}

# The scripts' Python packages (from PyPI) in .build/bench-venv: sets `venv`, installing
# python3-venv and any of the "module:package" pairs whose module is missing.
bench_venv() { # module:package …
    need_commands python3:python3
    if ! python3 -c 'import ensurepip' 2>/dev/null; then
        say "installing python3-venv"
        apt-get update
        apt-get install -y python3-venv
    fi
    venv="$repo/.build/bench-venv"
    [[ -x $venv/bin/python ]] || python3 -m venv "$venv"
    local pair missing=()
    for pair in "$@"; do "$venv/bin/python" -c "import ${pair%%:*}" 2>/dev/null || missing+=("${pair#*:}"); done
    if ((${#missing[@]})); then
        say "installing ${missing[*]} into $venv"
        "$venv/bin/pip" install --quiet "${missing[@]}"
    fi
}

# Waits until the server started in the background as `server_pid` answers /healthz on port $1;
# exits with its log ($2) if it dies first or stays silent for 20 s.
wait_until_healthy() { # port log
    local i
    for ((i = 0; i < 200; i++)); do
        curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$1/healthz" && return
        if ! kill -0 "$server_pid" 2>/dev/null; then
            echo "orderbot died at startup:" >&2
            cat "$2" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "orderbot did not answer /healthz within 20 s" >&2
    exit 1
}
