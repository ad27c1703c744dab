#!/usr/bin/env bash
# Desktop app benchmark (issue 5, item 10; docs/BENCHMARKS.md, "Desktop app (issue 5)"):
#   - launch to the first full frame (machines, products, the codes table counted and its visible rows)
#   - frame times while scrolling, and while filtering, the codes table of a 1,000,000-code machine
#   - frame times while the push console receives PUSH_RATE msg/s (pickupdesk-sim push)
#   - CPU of the idle app over IDLE_SECONDS
# The real pickupdesk runs under its own Xvfb (1600x1000x24, Mesa llvmpipe) in sandbox mode against a
# private simulator and mosquitto, with `--bench-script` (app/desktop/bench_script.hpp) writing JSON.
#
#   bench/app_bench.sh [BUILD_DIR]      default build/release (Release); needs the targets
#                                       pickupdesk pickupdesk-sim app_bench_seed
# Environment: CODES=1000000 FRAMES=1000 PUSH_RATE=1000 PUSH_SECONDS=30 IDLE_SECONDS=60 LAUNCHES=5
#   SCRIPTS="launch scroll filter pushes idle"   KEEP=1 keeps the work folder (JSON, logs, store)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build/release}" && pwd)
app=$build/app/desktop/pickupdesk
sim=$build/app/sim/pickupdesk-sim
seed=$build/bench/app_bench_seed
CODES=${CODES:-1000000}
FRAMES=${FRAMES:-1000}
PUSH_RATE=${PUSH_RATE:-1000}
PUSH_SECONDS=${PUSH_SECONDS:-30}
IDLE_SECONDS=${IDLE_SECONDS:-60}
LAUNCHES=${LAUNCHES:-5}
SCRIPTS=${SCRIPTS:-launch scroll filter pushes idle}
machine=16327138  # a simulator machine: the app syncs it and its 23 products at start

for bin in "$app" "$sim" "$seed"; do
    [[ -x $bin ]] || { echo "app_bench: missing $bin; build: cmake --build $build --target pickupdesk pickupdesk-sim app_bench_seed" >&2; exit 2; }
done
for tool in Xvfb mosquitto jq python3; do
    command -v "$tool" >/dev/null || { echo "app_bench: $tool is not installed" >&2; exit 2; }
done

work=$(mktemp -d /tmp/pd-app-bench.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [[ ${KEEP:-0} == 1 ]]; then echo "app_bench: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() {  # wait_for SECONDS COMMAND...: until COMMAND succeeds
    local deadline=$((SECONDS + $1)); shift
    until "$@" 2>/dev/null; do
        ((SECONDS < deadline)) || return 1
        sleep 0.1
    done
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1"); }

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# The store: CODES codes on one machine, seeded once, copied for every run (runs do not see each other's pushes).
mkdir -p "$work/seed"
"$seed" --db "$work/seed/pickupdesk.db" --codes "$CODES" --machine "$machine"
ls -l "$work/seed"

# Xvfb on a free display.
display=90
while [[ -e /tmp/.X11-unix/X$display || -e /tmp/.X$display-lock ]]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1600x1000x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
wait_for 10 test -e "/tmp/.X11-unix/X$display" || { echo "app_bench: Xvfb did not start" >&2; exit 1; }

# mosquitto and the simulator on free ports.
mqtt_port=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$mqtt_port" >"$work/mosquitto.conf"
[[ $(id -u) == 0 ]] && echo "user root" >>"$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
pids+=($!)
wait_for 10 port_open "$mqtt_port" || { echo "app_bench: mosquitto did not start" >&2; exit 1; }
mqtt=tcp://127.0.0.1:$mqtt_port
"$sim" --port 0 --port-file "$work/sim.port" 2>"$work/sim.log" &
pids+=($!)
wait_for 10 test -s "$work/sim.port" || { echo "app_bench: the simulator did not start" >&2; exit 1; }
sim_url=http://127.0.0.1:$(cat "$work/sim.port")

# run_app NAME SCRIPT [ARGS...]: one app run on a fresh copy of the store; JSON in $work/NAME.json.
run_app() {
    local name=$1 script=$2; shift 2
    local data=$work/data-$name view=codes
    [[ $script == pushes ]] && view=pushes
    rm -rf "$data" && mkdir -p "$data" && cp "$work/seed/"pickupdesk.db* "$data/"
    printf '{"lang":"en","last_machine":"%s","last_tab":"%s"}\n' "$machine" "$view" >"$data/settings.json"
    PICKUPDESK_BENCH_T0_NS=$(date +%s%N) DISPLAY=":$display" LIBGL_ALWAYS_SOFTWARE=1 \
        "$app" --sim-url "$sim_url" --mqtt-url "$mqtt" --data-dir "$data" --no-keychain --view "$view" \
        --bench-script "$script" --bench-out "$work/$name.json" "$@" >"$work/$name.log" 2>&1 &
    app_pid=$!
}

finish_app() {  # finish_app NAME: wait for the app; fail with its log when it failed
    if ! wait "$app_pid"; then
        echo "app_bench: pickupdesk failed in run $1:" >&2
        cat "$work/$1.log" >&2
        exit 1
    fi
    rm -rf "$work/data-$1"
}

for script in $SCRIPTS; do
    case $script in
        launch)
            for i in $(seq "$LAUNCHES"); do
                run_app "launch$i" idle --bench-seconds 1
                finish_app "launch$i"
            done ;;
        scroll | filter)
            run_app "$script" "$script" --bench-frames "$FRAMES"
            finish_app "$script" ;;
        idle)
            run_app idle idle --bench-seconds "$IDLE_SECONDS"
            finish_app idle ;;
        pushes)
            run_app pushes pushes --bench-seconds "$PUSH_SECONDS"
            wait_for 120 grep -q "pickupdesk bench: measuring" "$work/pushes.log" || { cat "$work/pushes.log" >&2; exit 1; }
            "$sim" push --mqtt-url "$mqtt" --rate "$PUSH_RATE" --count $((PUSH_RATE * (PUSH_SECONDS + 2))) \
                --machine "$machine" --first-id 5000000 >"$work/publisher.json" 2>"$work/publisher.log" &
            publisher=$!
            finish_app pushes
            wait "$publisher" || true
            echo "publisher: $(cat "$work/publisher.json")" ;;
        *) echo "app_bench: unknown script $script" >&2; exit 2 ;;
    esac
done

echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
first=$(ls "$work"/*.json | grep -v publisher | head -1)
echo "== renderer: $(jq -r .gl_renderer "$first")"
echo
printf '| run | frames | frame p50 ms | p90 ms | p99 ms | max ms | first full frame ms | CPU %% | notes |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for json in "$work"/*.json; do
    name=$(basename "$json" .json)
    [[ $name == publisher ]] && continue
    jq -r --arg name "$name" '"| \($name) | \(.frames) | \(.frame_ms.p50*100|round/100) | \(.frame_ms.p90*100|round/100) | \(.frame_ms.p99*100|round/100) | \(.frame_ms.max*100|round/100) | \(.first_full_frame_ms|round) | \(.cpu_percent*100|round/100) | codes \(.codes_total)\(if .pushes_received then ", pushes received \(.pushes_received), rate shown \(.push_rate_shown*10|round/10)/s" else "" end) |"' "$json"
done
if [[ $SCRIPTS == *launch* ]]; then
    jq -s -r '[.[].first_full_frame_ms] | sort | "launch to first full frame over \(length) runs: median \(.[length/2|floor]|round) ms, min \(.[0]|round) ms, max \(.[-1]|round) ms"' "$work"/launch*.json
fi
