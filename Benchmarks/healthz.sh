#!/usr/bin/env bash
# GET /healthz under wrk: orderbot against lws-baseline, the same answer from plain C over the same
# libwebsockets (the ceiling of this stack on this machine). See Benchmarks/README.md.
#
# Knobs (environment): ROUNDS (3), DURATION seconds per run (10), CONNECTIONS (64).
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
declare -A pid=()

cleanup() {
    for name in "${!pid[@]}"; do kill -TERM "${pid[$name]}" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Tools -----------------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
command -v pkg-config >/dev/null || missing+=(pkg-config)
pkg-config --exists libwebsockets 2>/dev/null || missing+=(libwebsockets-dev)
if ((${#missing[@]})); then
    say "installing ${missing[*]}"
    apt-get update
    apt-get install -y "${missing[@]}"
fi

# --- Build -----------------------------------------------------------------------------------------
say "building orderbot (release)"
# --product: only the server, so work in progress under Tests/ cannot break or slow the benchmark.
(cd "$repo" && swift build -c release --product orderbot) >&2
orderbot="$(cd "$repo" && swift build -c release --show-bin-path)/orderbot"

say "building lws-baseline"
mkdir -p "$out"
# shellcheck disable=SC2046  # pkg-config's flags must split into words
cc -O2 -Wall -Wextra -o "$out/lws-baseline" "$bench/lws-baseline/baseline.c" \
    $(pkg-config --cflags --libs libwebsockets)

# --- Servers ---------------------------------------------------------------------------------------
declare -A port=()
start() { # name command...
    local name=$1 i
    shift
    "$@" 2>"$tmp/$name.log" &
    pid[$name]=$!
    for ((i = 0; i < 100; i++)); do
        curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:${port[$name]}/healthz" && return
        if ! kill -0 "${pid[$name]}" 2>/dev/null; then
            echo "$name died at startup:" >&2
            cat "$tmp/$name.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "$name did not answer /healthz within 10 s" >&2
    exit 1
}

# One after the other, so the second free port cannot be the first one.
port[baseline]=$(free_port)
start baseline "$out/lws-baseline" "${port[baseline]}"
port[orderbot]=$(free_port)
start orderbot "$orderbot" serve --port "${port[orderbot]}" --db "$tmp/orderbot.sqlite"

# --- Measure ---------------------------------------------------------------------------------------
run_wrk() { # name seconds file
    wrk -t1 -c"$CONNECTIONS" -d"$2s" --latency "http://127.0.0.1:${port[$1]}/healthz" >"$3"
}

loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg)
# Warm-up: connections, allocator and caches of both servers, outside the numbers.
for name in baseline orderbot; do run_wrk "$name" 2 /dev/null; done

for ((r = 1; r <= ROUNDS; r++)); do
    # Alternate who goes first, so a drift in the machine's load is shared fairly.
    if ((r % 2)); then order=(baseline orderbot); else order=(orderbot baseline); fi
    for name in "${order[@]}"; do
        say "round $r/$ROUNDS: $name (${DURATION}s)"
        run_wrk "$name" "$DURATION" "$tmp/$name-$r.txt"
    done
done

rss() { awk '/^VmRSS/ {printf "%.1f MiB", $2 / 1024}' "/proc/$1/status"; }
rss_orderbot=$(rss "${pid[orderbot]}")
rss_baseline=$(rss "${pid[baseline]}")

# --- Stop ------------------------------------------------------------------------------------------
status=()
for name in orderbot baseline; do
    kill -TERM "${pid[$name]}"
    rc=0
    wait "${pid[$name]}" || rc=$?
    unset "pid[$name]"
    status+=("$name exited $rc")
    if [[ $name == orderbot ]]; then orderbot_rc=$rc; fi
done

# --- Report ----------------------------------------------------------------------------------------
requests_per_second() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
p99_ms() {
    awk '$1 == "99%" {
        value = $2; unit = $2; sub(/[a-z]+$/, "", value); sub(/^[0-9.]+/, "", unit)
        scale = unit == "us" ? 0.001 : unit == "ms" ? 1 : unit == "s" ? 1000 : unit == "m" ? 60000 : 0
        printf "%.2f", value * scale
    }' "$1"
}
errors() { # non-2xx/3xx responses plus socket errors
    awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$1"
}
median() { sort -g | awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

declare -A rps_list=() p99_list=() median_rps=() median_p99=()
summary=$(
    lws_version=$(pkg-config --modversion libwebsockets)
    echo "GET /healthz: orderbot vs lws-baseline (libwebsockets ${lws_version%-})"
    echo "wrk -t1 -c$CONNECTIONS -d${DURATION}s --latency; rounds: $ROUNDS, interleaved; 2 s warm-up each"
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average before: $loadavg_before"
    echo
    printf '%-7s %-9s %12s %10s %8s\n' round server req/s "p99 ms" errors
    for ((r = 1; r <= ROUNDS; r++)); do
        for name in baseline orderbot; do
            file="$tmp/$name-$r.txt"
            rps_list[$name]+="$(requests_per_second "$file") "
            p99_list[$name]+="$(p99_ms "$file") "
            printf '%-7s %-9s %12s %10s %8s\n' "$r" "$name" "$(requests_per_second "$file")" "$(p99_ms "$file")" \
                "$(errors "$file")"
        done
    done
    for name in baseline orderbot; do
        median_rps[$name]=$(tr ' ' '\n' <<<"${rps_list[$name]}" | grep . | median)
        median_p99[$name]=$(tr ' ' '\n' <<<"${p99_list[$name]}" | grep . | median)
        printf '%-7s %-9s %12.2f %10.2f\n' median "$name" "${median_rps[$name]}" "${median_p99[$name]}"
    done
    echo
    awk -v o="${median_rps[orderbot]}" -v b="${median_rps[baseline]}" \
        'BEGIN {printf "orderbot/baseline req/s: %.3f  (orderbot reaches %.1f%% of the stack'\''s limit)\n", o / b, 100 * o / b}'
    awk -v o="${median_p99[orderbot]}" -v b="${median_p99[baseline]}" \
        'BEGIN {printf "orderbot/baseline p99:   %.2fx\n", o / b}'
    echo "RSS after the run (VmRSS): orderbot $rss_orderbot, baseline $rss_baseline"
    echo "On SIGTERM: ${status[0]}, ${status[1]}"
)

report="$out/healthz-$(date -u +%Y%m%dT%H%M%SZ).txt"
echo "$summary" | tee "$report"
say "summary written to $report"

if ((orderbot_rc != 0)); then
    echo "orderbot did not exit 0 on SIGTERM; its log:" >&2
    cat "$tmp/orderbot.log" >&2
    exit 1
fi
