#!/usr/bin/env bash
# Web chat customers and agents at once, over the real server's WebSockets: SESSIONS chat sessions
# (/ws/chat) ask the bot questions, some ask for a person, agents' consoles (/ws/agent) race to
# claim them, both sides exchange numbered messages, the agent hands back to the bot. Checks that
# nothing is lost, duplicated or reordered (frames, then the database), and measures latencies.
# A new server and database per round. See Benchmarks/README.md.
#
# Knobs (environment): HANDOFF_SESSIONS (200) chat sessions at once, HANDOFF_AGENTS (10) consoles,
# HANDOFF_QUESTIONS (10) questions to the bot per session, HANDOFF_ESCALATE (40) sessions that then
# ask for a person, HANDOFF_NUMBERED (10) numbered messages each way with the agent, HANDOFF_CAPACITY
# (4) conversations an agent holds at once, HANDOFF_RESOLVE (at-once | after-delivery) when the agent
# hands back, HANDOFF_ROUNDS (3), HANDOFF_TIMEOUT (30) seconds any awaited frame may take,
# HANDOFF_DB_DIR where the databases go (default: the scratch directory), ORDERBOT_MAX_CONNECTIONS
# (default 1024, raised to sessions + agents + 64 if that is more).
set -euo pipefail

HANDOFF_SESSIONS=${HANDOFF_SESSIONS:-200}
HANDOFF_AGENTS=${HANDOFF_AGENTS:-10}
HANDOFF_QUESTIONS=${HANDOFF_QUESTIONS:-10}
HANDOFF_ESCALATE=${HANDOFF_ESCALATE:-40}
HANDOFF_NUMBERED=${HANDOFF_NUMBERED:-10}
HANDOFF_CAPACITY=${HANDOFF_CAPACITY:-4}
HANDOFF_RESOLVE=${HANDOFF_RESOLVE:-at-once}
HANDOFF_ROUNDS=${HANDOFF_ROUNDS:-3}
HANDOFF_TIMEOUT=${HANDOFF_TIMEOUT:-30}
needed=$((HANDOFF_SESSIONS + HANDOFF_AGENTS + 64))
ORDERBOT_MAX_CONNECTIONS=${ORDERBOT_MAX_CONNECTIONS:-$((needed > 1024 ? needed : 1024))}

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

use_server_data "${HANDOFF_DB_DIR:-}" handoff

install_tools() {
    need_commands curl:curl python3:python3
    if ! python3 -c 'import websockets' 2>/dev/null; then
        say "installing the Python package websockets"
        if ! python3 -m pip --version >/dev/null 2>&1; then
            apt-get update
            apt-get install -y python3-pip
        fi
        # A system Python of Debian 12 refuses pip without --break-system-packages (PEP 668).
        python3 -m pip install --quiet 'websockets>=13' ||
            python3 -m pip install --quiet --break-system-packages 'websockets>=13'
    fi
}

# The agents, added to the database before the server starts; "name token" lines to $2.
add_agents() { # database file
    local i name
    : >"$2"
    for ((i = 1; i <= HANDOFF_AGENTS; i++)); do
        name=$(printf 'agent%02d' "$i")
        echo "$name $("$bin/orderbot" agent add "$name" --db "$1" 2>/dev/null)" >>"$2"
    done
}

start_server() { # database port log
    ORDERBOT_LOG=warning ORDERBOT_MAX_CONNECTIONS=$ORDERBOT_MAX_CONNECTIONS \
        "$bin/orderbot" serve --port "$2" --db "$1" 2>"$3" &
    server_pid=$!
    wait_until_healthy "$2" "$3"
}

# Stops the server with SIGTERM (at most 30 s, then SIGKILL: a hang is a failure too); its exit
# status goes to server_rc.
stop_server() {
    local i
    server_rc=0
    kill -TERM "$server_pid" 2>/dev/null || true # already gone: wait gives how it ended
    for ((i = 0; i < 300; i++)); do
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$server_pid" 2>/dev/null; then
        echo "orderbot did not exit within 30 s of SIGTERM: killed" >&2
        kill -KILL "$server_pid" 2>/dev/null || true
    fi
    wait "$server_pid" || server_rc=$?
    server_pid=
}

install_tools
build_release orderbot

commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git -C "$repo" diff --quiet HEAD -- 2>/dev/null; then commit+=" + uncommitted changes"; fi
loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg)
results="$tmp/results.jsonl"
failures=()

for ((round = 1; round <= HANDOFF_ROUNDS; round++)); do
    dir="$data/round-$round"
    mkdir -p "$dir"
    port=$(free_port)
    say "round $round/$HANDOFF_ROUNDS: $HANDOFF_SESSIONS sessions, $HANDOFF_AGENTS agents, $HANDOFF_ESCALATE ask for a person"
    add_agents "$dir/orderbot.sqlite" "$dir/agents.txt"
    start_server "$dir/orderbot.sqlite" "$port" "$dir/server.log"
    client_rc=0
    python3 "$bench/handoff_load.py" run --port "$port" --agents "$dir/agents.txt" \
        --sessions "$HANDOFF_SESSIONS" --messages "$HANDOFF_QUESTIONS" --handoffs "$HANDOFF_ESCALATE" \
        --human "$HANDOFF_NUMBERED" --capacity "$HANDOFF_CAPACITY" --resolve "$HANDOFF_RESOLVE" \
        --step-timeout "$HANDOFF_TIMEOUT" --round "$round" --server-pid "$server_pid" \
        --results "$results" --expected "$dir/expected.json" || client_rc=$?
    stop_server
    if ((client_rc != 0)); then
        failures+=("round $round: the client's checks failed (lost, duplicated or reordered frames, errors, a hang: see \"checks\" above)")
    fi
    if ((server_rc != 0)); then failures+=("round $round: orderbot ended with status $server_rc, not 0 on SIGTERM"); fi
    if [[ -s $dir/expected.json ]]; then
        python3 "$bench/handoff_load.py" check --db "$dir/orderbot.sqlite" --expected "$dir/expected.json" \
            --round "$round" --results "$results" ||
            failures+=("round $round: the database does not hold what was sent (see \"checks\" above)")
    fi
    # Anything logged at warning or above but the start-up notes of what is not configured.
    if grep -v -e 'ORDERBOT_TWILIO_AUTH_TOKEN is not set' -e 'no Messenger page token' -e 'ORDERBOT_NOTIFY_URL is not set' "$dir/server.log" >"$dir/warnings.log"; then
        say "round $round: the server logged $(wc -l <"$dir/warnings.log") lines at warning or above; the first:"
        head -5 "$dir/warnings.log" >&2
    fi
    if ((client_rc != 0 || server_rc != 0)) && [[ -s $dir/server.log ]]; then
        cp "$dir/server.log" "$out/handoff-server-round-$round.log"
        say "server log kept in $out/handoff-server-round-$round.log"
    fi
done

report="$out/handoff-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
    echo "Web chat and agents at once: /ws/chat sessions asking the bot, some handed to a person over /ws/agent"
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average before: $loadavg_before, commit $commit"
    echo "$HANDOFF_SESSIONS sessions at once, $HANDOFF_QUESTIONS questions each; $HANDOFF_ESCALATE then ask for a person:" \
        "$HANDOFF_NUMBERED numbered messages each way, resolve $HANDOFF_RESOLVE, then one more question;"
    echo "$HANDOFF_AGENTS agents holding up to $HANDOFF_CAPACITY conversations each; rounds $HANDOFF_ROUNDS, a new server" \
        "and database per round (in $(df --output=fstype "$data" | tail -1)); msg/s = customer + agent messages / seconds"
    echo
    if [[ -s $results ]]; then python3 "$bench/handoff_load.py" report "$results"; fi
    echo
    if ((${#failures[@]})); then
        printf 'FAILED: %s\n' "${failures[@]}"
    else
        echo "every message acknowledged once and answered; every numbered message delivered once and in order both ways;"
        echo "the bot silent while a person had the conversation; handoff statuses in order; queue frames in order; no"
        echo "error frames but lost claims'; the database holds exactly what was sent, nothing left in the web outbox;"
        echo "orderbot exited 0 on every SIGTERM"
    fi
} | tee "$report"
say "summary written to $report"

((${#failures[@]} == 0))
