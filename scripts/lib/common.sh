# Shared helpers for scripts/run, scripts/test and scripts/bench. Source it; do not run it.
# shellcheck shell=bash

PD_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Let ccache share objects between clones of the repository (CI builds in a fresh clone).
export CCACHE_BASEDIR="$PD_ROOT" CCACHE_NOHASHDIR=1

# Debian/Ubuntu packages the build, the tests and sandbox mode need.
PD_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git tzdata
  libimgui-dev libglfw3-dev libgl-dev libgl1-mesa-dri nlohmann-json3-dev libssl-dev libsqlitecpp-dev libsqlite3-dev
  libpaho-mqtt-dev libusb-1.0-0-dev doctest-dev libcurl4-openssl-dev libcpp-httplib-dev
  libqrencode-dev libcairo2-dev libcli11-dev libspdlog-dev libfmt-dev libhowardhinnant-date-dev
  libsecret-1-dev gnome-keyring dbus dbus-x11 openssl
  mosquitto mosquitto-clients
  umockdev libumockdev-dev
  zbar-tools poppler-utils libcups2-dev fonts-wqy-microhei
  cups-daemon cups-client  # a private scheduler for the printing test (tests/support/cupsd)
  qrencode time  # bench/qr_peer_bench.sh (peer pipeline)
  xvfb xauth xdotool x11-apps
  librsvg2-bin
  clang libclang-rt-14-dev
)

pd_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs whatever of PD_PACKAGES is missing (idempotent; does nothing when all are present).
pd_ensure_packages() {
  local missing=() pkg
  for pkg in "${PD_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  pd_log "Installing missing packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "Need root or sudo to install: ${missing[*]}" >&2; return 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
}

# Configures and builds a preset (default: ci). Incremental after the first run.
pd_build() {
  local preset=${1:-ci}
  cd "$PD_ROOT"
  if [ ! -f "build/$preset/build.ninja" ]; then
    pd_log "Configuring ($preset)"
    cmake --preset "$preset" >/dev/null
  fi
  pd_log "Building ($preset)"
  cmake --build --preset "$preset" -j "${PD_JOBS:-$(nproc)}"
}

# Prints a TCP port on 127.0.0.1 that nothing listens on.
pd_free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(( (RANDOM % 30000) + 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# Waits until a file exists and is non-empty (max $2 seconds).
pd_wait_file() {
  local file=$1 limit=${2:-10} i
  for ((i = 0; i < limit * 10; i++)); do
    [ -s "$file" ] && return 0
    sleep 0.1
  done
  return 1
}

# Starts mosquitto on a free loopback port; sets PD_MQTT_PORT and PD_MQTT_PID.
pd_start_mosquitto() {
  local dir=$1
  PD_MQTT_PORT=$(pd_free_port)
  cat >"$dir/mosquitto.conf" <<CONF
listener $PD_MQTT_PORT 127.0.0.1
allow_anonymous true
persistence false
log_dest file $dir/mosquitto.log
CONF
  if [ "$(id -u)" -eq 0 ]; then echo "user root" >>"$dir/mosquitto.conf"; fi
  mosquitto -c "$dir/mosquitto.conf" &
  PD_MQTT_PID=$!
  local i
  for ((i = 0; i < 50; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PD_MQTT_PORT") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "mosquitto did not start; see $dir/mosquitto.log" >&2
  return 1
}

# Starts the vendor-cloud simulator on a free port; sets PD_SIM_URL and PD_SIM_PID.
pd_start_sim() {
  local dir=$1 bin=$2
  shift 2
  "$bin" --port 0 --port-file "$dir/sim.port" "$@" >"$dir/sim.out" 2>"$dir/sim.log" &
  PD_SIM_PID=$!
  pd_wait_file "$dir/sim.port" 10 || { echo "simulator did not start; see $dir/sim.log" >&2; return 1; }
  PD_SIM_URL="http://127.0.0.1:$(cat "$dir/sim.port")"
}
