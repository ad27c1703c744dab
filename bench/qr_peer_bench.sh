#!/usr/bin/env bash
# QR sheet benchmark against peers, in one run (issue 6, docs/BENCHMARKS.md "QR sheets"):
#   ours      export_bench: N codes from a SQLite store to an A4 3x8 PDF (the `pickupctl export` path:
#             store paging, labels, cairo PDF, audit rows)
#   node      bench/peer/sheet.js: node `qrcode` + `pdfkit`, the same codes and layout, to a PDF
#   qrencode  the `qrencode` CLI, one PNG per code (EC level M, 4-module quiet zone, 11 px modules)
# Each run is timed by GNU time (wall, user and system CPU, peak RSS). Ours and node run --runs
# times, interleaved so that other load hits both alike, and the table shows each one's median
# run (by CPU user time); qrencode (minutes) runs once.
# Builds nothing: pass the export_bench binary (cmake --preset release; --target export_bench).
#   bench/qr_peer_bench.sh build/release/bench/export_bench [--codes 10000] [--runs 3] [--work DIR] [--keep]
# Needs node + `npm ci` in bench/peer, qrencode, GNU time (scripts/lib/common.sh lists the packages).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage() {
  echo "usage: $0 EXPORT_BENCH [--codes N] [--runs N] [--work DIR] [--keep]" >&2
  exit 2
}
[ $# -ge 1 ] || usage
ours_bin=$(realpath "$1")
shift
codes=10000 runs=3 work="" keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --codes) codes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) usage ;;
  esac
done

die() { echo "qr_peer_bench: $*" >&2; exit 1; }
[ -x "$ours_bin" ] || die "$ours_bin is not an executable (build the export_bench target first)"
[ -x /usr/bin/time ] || die "GNU time is missing: apt-get install time"
command -v node >/dev/null || die "node is missing: install Node.js 20"
command -v qrencode >/dev/null || die "qrencode is missing: apt-get install qrencode"
[ -d "$here/peer/node_modules/pdfkit" ] || die "the node peer is not installed: (cd $here/peer && npm ci)"

if [ -z "$work" ]; then work=$(mktemp -d /tmp/qr-peer-bench.XXXXXX); fi
mkdir -p "$work"
cleanup() { if [ "$keep" = 0 ]; then rm -rf "$work"; fi; }
trap cleanup EXIT

# Same codes for everyone: our store is seeded once, and its CSV export (untimed) feeds the peers.
echo "preparing $codes codes in $work (untimed)" >&2
"$ours_bin" --codes "$codes" --db "$work/seeded.db" --format csv --out "$work/codes.csv" >/dev/null
tail -n +2 "$work/codes.csv" | awk -F, '{print $NF}' | tr -d '\r' >"$work/qr_texts.txt"
[ "$(wc -l <"$work/qr_texts.txt")" -eq "$codes" ] || die "the CSV export does not hold $codes codes"

# Runs one contender under GNU time: NAME COMMAND...; keeps "wall user sys maxrss_kb" in NAME.time.
timed() {
  local name=$1
  shift
  echo "running $name" >&2
  /usr/bin/time -f "%e %U %S %M" -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" \
    || { cat "$work/$name.err" >&2; die "$name failed"; }
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for run in $(seq "$runs"); do
  cp "$work/seeded.db" "$work/store-$run.db"  # each export writes audit rows: start from the same store
  timed "ours-$run" "$ours_bin" --codes "$codes" --db "$work/store-$run.db" --out "$work/ours-$run.pdf"
  timed "node-$run" node "$here/peer/sheet.js" "$work/codes.csv" "$work/node-$run.pdf"
done
mkdir -p "$work/qrencode"
# shellcheck disable=SC2016  # $0, $1 and $c belong to the inner shell
timed qrencode sh -c 'n=0; while IFS= read -r c; do n=$((n + 1));
  qrencode -l M -m 4 -s 11 -d 300 -o "$0/$n.png" -- "$c"; done <"$1"' "$work/qrencode" "$work/qr_texts.txt"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

median() {  # NAME: the run with the median CPU user time, as NAME-RUN
  for run in $(seq "$runs"); do echo "$(cut -d' ' -f2 "$work/$1-$run.time") $1-$run"; done \
    | sort -n | awk -v m=$(((runs + 1) / 2)) 'NR == m {print $2}'
}
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}'; }
row() {  # RUN WHAT OUTPUT_BYTES
  local wall user sys rss
  read -r wall user sys rss <"$work/$1.time"
  printf '| %s | %s | %s s | %s s | %s s | %.1f MB | %.1f MB |\n' "$1" "$2" "$wall" "$user" "$sys" \
    "$(awk -v k="$rss" 'BEGIN {print k / 1024}')" "$(awk -v b="$3" 'BEGIN {print b / 1e6}')"
}
ratio() {  # FIELD (1 = wall, 2 = user): node / ours, medians
  awk -v f="$1" 'NR == FNR {a = $f; next} {b = $f} END {printf "%.1f", a / b}' "$work/$node.time" "$work/$ours.time"
}
ours=$(median ours) node=$(median node)
all() { for run in $(seq "$runs"); do cut -d' ' -f2 "$work/$1-$run.time"; done | paste -sd' '; }

echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average before: $load_before, after: $load_after"
echo "CPU user per run (s): ours $(all ours); node $(all node)"
echo "$ours: $(cat "$work/$ours.out")"
echo "$node: $(cat "$work/$node.out")"
echo
echo "| run | output | wall | CPU user | CPU sys | peak RSS | output size |"
echo "|---|---|---|---|---|---|---|"
row "$ours" "PDF, $(pages "$work/$ours.pdf") pages" "$(stat -c %s "$work/$ours.pdf")"
row "$node" "PDF, $(pages "$work/$node.pdf") pages" "$(stat -c %s "$work/$node.pdf")"
row qrencode "$(find "$work/qrencode" -name '*.png' | wc -l) PNGs" \
  "$(find "$work/qrencode" -name '*.png' -printf '%s\n' | awk '{s += $1} END {print s}')"
echo
echo "node / ours (median runs): $(ratio 2)x CPU user time, $(ratio 1)x wall time (target: >= 5x)"
if [ "$keep" = 1 ]; then echo "outputs kept in $work"; fi
