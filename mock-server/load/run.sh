#!/usr/bin/env bash
# Load test of gameliftstreams-mock on loopback with wrk: starts the release server pinned to
# one core, runs setup.sh, then one wrk run per phase pinned to another core, sampling the
# server's CPU time and memory from /proc and every core's busy time from /proc/stat.
#
# Usage: mock-server/load/run.sh            (see README.md for the knobs)
# Writes $OUT (default mock-server/load/results/<UTC time>/): summary.md, results.tsv, the
# wrk reports, the server's log and the environment.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN=${BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/gameliftstreams-mock}
DURATION=${DURATION:-20s}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-16}
SERVER_CPU=${SERVER_CPU:-0}
WRK_CPU=${WRK_CPU:-1}
# Phases, in order: get (GetStreamSession of the setup session), start (StartStreamSession),
# start-token (StartStreamSession with a unique ClientToken, as SDKs send it).
PHASES=${PHASES:-get start start-token get}
# One log line per request at info; warn keeps stderr quiet so the figures are the server's.
LOG_LEVEL=${LOG_LEVEL:-warn}
OUT=${OUT:-$HERE/results/$(date -u +%Y%m%dT%H%M%SZ)}
# STATE=none (no state file), journal (--state-file in $OUT: every change journaled and synced
# before it is answered) or shutdown (--state-file --no-journal: saved at shutdown only).
STATE=${STATE:-none}
case $STATE in
    none) STATE_ARGS=() ;;
    journal) STATE_ARGS=(--state-file "$OUT/state.json") ;;
    shutdown) STATE_ARGS=(--state-file "$OUT/state.json" --no-journal) ;;
    *) echo "run.sh: STATE must be none, journal or shutdown, not $STATE" >&2; exit 2 ;;
esac

die() { echo "run.sh: $*" >&2; exit 1; }
for tool in wrk curl jq taskset awk; do
    command -v "$tool" >/dev/null || die "$tool is required (apt-get install -y wrk curl jq util-linux gawk)"
done
if [[ ! -x $BIN || ${BUILD:-0} == 1 ]]; then
    (cd "$ROOT" && cargo build --release -j1 -p gameliftstreams-mock)
fi
mkdir -p "$OUT"
CLK_TCK=$(getconf CLK_TCK)

# --- sampling -------------------------------------------------------------------------------

now() { date +%s.%N; }
# utime+stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat; the command
# name in field 2 may hold spaces, so count from the closing parenthesis).
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
threads_of() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $18}'; }
# VmRSS or VmHWM of a process, in KiB.
mem_kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
# "busy steal total" ticks of one core from /proc/stat (busy excludes idle, iowait, steal).
core_ticks() {
    awk -v c="cpu$1" '$1 == c {t = 0; for (i = 2; i <= 9; i++) t += $i;
        print t - $5 - $6 - $9, $9, t}' /proc/stat
}
# Percentage of a tick delta over a tick total (or over wall seconds * CLK_TCK).
pct() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", (b > 0) ? 100 * a / b : 0}'; }

# Busy percentage of both cores over 2 s (before the server starts: other people's work).
machine_busy() {
    local a b
    read -r a _ _ < <(core_ticks "$SERVER_CPU")
    read -r b _ _ < <(core_ticks "$WRK_CPU")
    local t0=$(now)
    sleep 2
    local a1 b1
    read -r a1 _ _ < <(core_ticks "$SERVER_CPU")
    read -r b1 _ _ < <(core_ticks "$WRK_CPU")
    awk -v d=$((a1 - a + b1 - b)) -v s="$t0" -v e="$(now)" -v h="$CLK_TCK" \
        'BEGIN {printf "%.0f", 100 * d / ((e - s) * h * 2)}'
}
# Waits (up to QUIET_WAIT seconds) until both cores are under QUIET_MAX % busy, so that the
# figures are the server's and not a compile's; then goes on regardless, with a warning. The
# server is idle meanwhile, so what is busy is other people's work.
QUIET_MAX=${QUIET_MAX:-15}
QUIET_WAIT=${QUIET_WAIT:-900}
wait_quiet() {
    local waited=0 busy
    while busy=$(machine_busy); ((busy > QUIET_MAX)); do
        if ((waited >= QUIET_WAIT)); then
            echo "run.sh: WARNING: the machine is still ${busy}% busy after ${waited}s; measuring anyway" >&2
            return
        fi
        echo "run.sh: the machine is ${busy}% busy (over ${QUIET_MAX}%); waiting" >&2
        sleep 10
        waited=$((waited + 12))
    done
    echo "run.sh: the machine is ${busy}% busy" >&2
}
# A phase is run again (up to RETRIES times) when another process took more than OTHER_MAX %
# of the server's or wrk's core during it.
OTHER_MAX=${OTHER_MAX:-5}
RETRIES=${RETRIES:-2}
# 1: drain the engine's event log (GET /_mock/events) after every phase, as a test that reads
# the events would; otherwise it holds every status change of the run.
DRAIN_EVENTS=${DRAIN_EVENTS:-0}

# --- the server -----------------------------------------------------------------------------

{
    echo "date: $(date -u +%FT%TZ)"
    echo "host: $(uname -srm)"
    echo "nproc: $(nproc)"
    echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
    echo "uptime: $(uptime)"
    echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (modified)')"
    echo "rustc: $(rustc --version 2>/dev/null)"
    echo "wrk: $(wrk --version 2>&1 | head -1)"
    echo "server: taskset -c $SERVER_CPU $BIN --listen 127.0.0.1:0 --log-level $LOG_LEVEL ${STATE_ARGS[*]}"
    echo "state: $STATE ($(df -PT "$OUT" | awk 'NR == 2 {print $2 " on " $1}'))"
    echo "wrk: taskset -c $WRK_CPU wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency -s <phase>.lua URL"
} | tee "$OUT/environment.txt"

taskset -c "$SERVER_CPU" "$BIN" --listen 127.0.0.1:0 --log-level "$LOG_LEVEL" "${STATE_ARGS[@]}" \
    >"$OUT/server.stdout" 2>"$OUT/server.log" &
SERVER_PID=$!
stop_server() {
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        wait "$SERVER_PID" || true
    fi
    # The saved state of a run is as large as its sessions (a gigabyte after a long one).
    rm -f "$OUT/state.json" "$OUT/state.json.journal"
}
trap stop_server EXIT
for _ in $(seq 100); do
    [[ -s $OUT/server.stdout ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited: $(cat "$OUT/server.log")"
    sleep 0.1
done
URL=$(sed -n '1s/^listening on //p' "$OUT/server.stdout")
[[ -n $URL ]] || die "the server did not say where it listens"
echo "server: pid $SERVER_PID at $URL, $(threads_of "$SERVER_PID") threads"

eval "$("$HERE/setup.sh" "$URL")"
export APP_ID GROUP_ID SESSION_ID

AUTH='Authorization: AWS4-HMAC-SHA256 Credential=AKIDLOADTEST/20260101/us-west-2/gameliftstreams/aws4_request, SignedHeaders=host;x-amz-date, Signature=00'
api() { curl -sS -H "$AUTH" "$URL$1"; }
# Sessions holding capacity (ACTIVATING ones request it, ACTIVE ones are allocated it).
allocated() { api "/streamgroups/$GROUP_ID" | jq '.LocationStates[0].AllocatedCapacity'; }
requested() { api "/streamgroups/$GROUP_ID" | jq '.LocationStates[0].RequestedCapacity'; }
# Whether any session of the group has a status (first page is enough to tell).
any_with_status() { api "/streamgroups/$GROUP_ID/streamsessions?Status=$1&MaxResults=1" | jq '.Items | length'; }

rss0=$(mem_kib "$SERVER_PID" VmRSS)
echo "server after setup: VmRSS ${rss0} KiB, VmHWM $(mem_kib "$SERVER_PID" VmHWM) KiB"

printf '%s\n' "phase	attempt	sessions_before	requests	rps	p50_ms	p90_ms	p99_ms	p99_9_ms	max_ms	non2xx	socket_errors	server_cpu_pct	wrk_cpu_pct	server_core_other_pct	wrk_core_other_pct	steal_pct	rss_before_kib	rss_after_kib	hwm_after_kib	sessions_after	bytes_per_session	disturbed" \
    >"$OUT/results.tsv"

# One wrk run: phase number, phase, attempt. Appends a row to results.tsv; answers 1 if
# another process took more than OTHER_MAX % of either core meanwhile (the figures are not
# the server's), else 0.
run_phase() {
    local n=$1 phase=$2 attempt=$3 script token
    case $phase in
        get) script=get.lua; token=0 ;;
        start) script=start.lua; token=0 ;;
        start-token) script=start.lua; token=1 ;;
        *) die "unknown phase $phase (get, start, start-token)" ;;
    esac
    local name="$n-$phase" s_busy0 s_steal0 s_total0 w_busy0 w_total0 s_busy1 s_steal1 s_total1 w_busy1 w_total1
    ((attempt > 1)) && name="$name.$attempt"
    local before_sessions rss_before ticks0 t0
    before_sessions=$(allocated)
    rss_before=$(mem_kib "$SERVER_PID" VmRSS)
    read -r s_busy0 s_steal0 s_total0 < <(core_ticks "$SERVER_CPU")
    read -r w_busy0 _ w_total0 < <(core_ticks "$WRK_CPU")
    ticks0=$(cpu_ticks "$SERVER_PID")
    t0=$(now)
    # `times` in the subshell reports the CPU time of its children: wrk's.
    (
        CLIENT_TOKEN=$token taskset -c "$WRK_CPU" \
            wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$HERE/$script" "$URL" \
            >"$OUT/$name.wrk.txt"
        times >"$OUT/$name.times"
    )
    local t1 ticks1 rss_after hwm_after after_sessions
    t1=$(now)
    ticks1=$(cpu_ticks "$SERVER_PID")
    read -r s_busy1 s_steal1 s_total1 < <(core_ticks "$SERVER_CPU")
    read -r w_busy1 _ w_total1 < <(core_ticks "$WRK_CPU")
    rss_after=$(mem_kib "$SERVER_PID" VmRSS)
    hwm_after=$(mem_kib "$SERVER_PID" VmHWM)
    after_sessions=$(allocated)

    local json
    json=$(sed -n 's/^wrk-json //p' "$OUT/$name.wrk.txt")
    [[ -n $json ]] || die "wrk printed no result: $(cat "$OUT/$name.wrk.txt")"
    # Second line of `times`: the children's user and system time, like 0m1.234s 0m0.567s.
    local wrk_secs
    wrk_secs=$(sed -n 2p "$OUT/$name.times" |
        awk '{s = 0; for (i = 1; i <= 2; i++) {split($i, p, /[ms]/); s += p[1] * 60 + p[2]}; print s}')
    local figures
    figures=$(awk -v wall="$t0 $t1" -v h="$CLK_TCK" -v ours=$((ticks1 - ticks0)) -v wrk="$wrk_secs" \
        -v sb=$((s_busy1 - s_busy0)) -v ss=$((s_steal1 - s_steal0)) -v st=$((s_total1 - s_total0)) \
        -v wb=$((w_busy1 - w_busy0)) -v wt=$((w_total1 - w_total0)) \
        -v r0="$rss_before" -v r1="$rss_after" -v n0="$before_sessions" -v n1="$after_sessions" \
        -v max="$OTHER_MAX" '
        function p(a, b) { return (b > 0) ? 100 * a / b : 0 }
        BEGIN {
            split(wall, w, " "); secs = w[2] - w[1]
            server = p(ours, secs * h); client = p(wrk, secs)
            so = p(sb - ours, st); if (so < 0) so = 0
            wo = p(wb, wt) - client; if (wo < 0) wo = 0
            per = (n1 > n0) ? sprintf("%.0f", 1024 * (r1 - r0) / (n1 - n0)) : "-"
            printf "%.1f %.1f %.1f %.1f %.1f %s %d\n", server, client, so, wo, p(ss, st), per, (so > max || wo > max)
        }')
    local server_cpu wrk_cpu core_other wrk_other steal per_session disturbed
    read -r server_cpu wrk_cpu core_other wrk_other steal per_session disturbed <<<"$figures"
    jq -r --arg phase "$phase" --arg attempt "$attempt" --arg sb "$before_sessions" \
        --arg sa "$after_sessions" --arg scpu "$server_cpu" --arg wcpu "$wrk_cpu" \
        --arg so "$core_other" --arg wo "$wrk_other" --arg steal "$steal" \
        --arg r0 "$rss_before" --arg r1 "$rss_after" --arg h1 "$hwm_after" \
        --arg per "$per_session" --arg d "$disturbed" \
        '[$phase, $attempt, $sb, .requests, .rps, .p50_ms, .p90_ms, .p99_ms, .p99_9_ms, .max_ms,
          .non2xx, (.connect_errors + .read_errors + .write_errors + .timeouts),
          $scpu, $wcpu, $so, $wo, $steal, $r0, $r1, $h1, $sa, $per, $d] | @tsv' \
        <<<"$json" >>"$OUT/results.tsv"
    echo "phase $n $phase (attempt $attempt): $(jq -c '{requests, rps, p50_ms, p90_ms, p99_ms, max_ms, non2xx}' <<<"$json")" \
        "server CPU ${server_cpu}%, wrk CPU ${wrk_cpu}%, others on the server core ${core_other}%," \
        "on wrk's ${wrk_other}%; RSS ${rss_after} KiB; sessions ${after_sessions}" >&2
    echo "$disturbed"
}

n=0
for phase in $PHASES; do
    n=$((n + 1))
    for attempt in $(seq $((RETRIES + 1))); do
        wait_quiet
        disturbed=$(run_phase "$n" "$phase" "$attempt")
        if [[ $DRAIN_EVENTS == 1 ]]; then
            echo "run.sh: drained $(curl -sS "$URL/_mock/events" | jq length) events;" \
                "VmRSS now $(mem_kib "$SERVER_PID" VmRSS) KiB" >&2
        fi
        [[ $disturbed == 0 ]] && break
        echo "run.sh: phase $n $phase was disturbed by other processes (over ${OTHER_MAX}% of a core)" >&2
    done
done

# Every session started must have been placed: none waiting for capacity, none in ERROR.
activating=$(any_with_status ACTIVATING)
errored=$(any_with_status ERROR)
sessions_end=$(allocated)
waiting=$(($(requested) - sessions_end))
rss_end=$(mem_kib "$SERVER_PID" VmRSS)
hwm_end=$(mem_kib "$SERVER_PID" VmHWM)
ticks_end=$(cpu_ticks "$SERVER_PID")
# The engine logs every status change until GET /_mock/events drains the log; unless
# DRAIN_EVENTS=1, nothing drains it during the run, so it holds every session's creation and
# placement.
events=$(curl -sS "$URL/_mock/events" | jq length)
echo "uptime after: $(uptime)" >>"$OUT/environment.txt"

{
    echo "# gameliftstreams-mock under wrk"
    echo
    sed 's/^/    /' "$OUT/environment.txt"
    echo
    echo "| # | phase | try | sessions before | requests | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | non-2xx | socket errors | server CPU % | wrk CPU % | others on server core % | others on wrk core % | RSS before → after KiB | bytes/session |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    awk -F'\t' 'NR > 1 {printf "| %s | %s | %s%s | %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s → %s | %s |\n",
        ++i, $1, $2, ($23 == 1 ? " (disturbed)" : ""), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
        $13, $14, $15, $16, $18, $19, $22}' "$OUT/results.tsv"
    echo
    echo "Server: VmRSS after setup ${rss0} KiB, at the end ${rss_end} KiB (peak VmHWM ${hwm_end} KiB);" \
        "CPU time $(awk -v t="$ticks_end" -v h="$CLK_TCK" 'BEGIN {printf "%.2f", t / h}') s in all."
    echo "Sessions: ${sessions_end} allocated at the end (setup's one included); waiting for capacity:" \
        "${waiting}; any ACTIVATING: ${activating}; any ERROR: ${errored}."
    echo "Event log: ${events} events held at the end (drained after every phase: DRAIN_EVENTS=${DRAIN_EVENTS})."
} >"$OUT/summary.md"
echo
cat "$OUT/summary.md"
echo
echo "results in $OUT"
