#!/usr/bin/env bash
# peer-compare.sh DIR: this project vs the peer (Unleash 8.2), alternately, PAIRS times (default 2): side-by-side.sh DIR
# (ours, /v2 on the fast path), with VIA_NEXT=1 (default) side-by-side.sh again with V2_VIA_NEXT=1 (/v2 through Next's
# pipeline, for the before/after), then unleash-peer.sh; cpu-watch.mjs alongside each for CPU per request. Each run
# starts and stops its own PostgreSQL cluster and server (~2 min each; Unleash is installed from npm into /tmp/unleash
# on first use). Output: $RES/{ours,ours-next,unleash}-N.txt, per-round rows $RES/*-N-rows.jsonl and one pooled table
# (median over all rounds of all pairs; "x live" = median of per-round ratios to the same round's liveness).
# Knobs: PAIRS, VIA_NEXT, RES (default a new /tmp/peercmp.XXXX), ROUNDS/DUR/CONN (both scripts), OURS_PORT/OURS_PG_PORT
# (3940/54340), PEER_PORT/PEER_PG_PORT (4242/54341). Needs root (su postgres), taskset, PostgreSQL's binaries, 2 cores.
set -euo pipefail
dir=$(cd "$1" && pwd); PAIRS=${PAIRS:-2}; VIA_NEXT=${VIA_NEXT:-1}; here=$(cd "$(dirname "$0")" && pwd)
RES=${RES:-$(mktemp -d -t peercmp.XXXX)}; mkdir -p "$RES"; echo "results: $RES"
ours() { # ours LABEL PAIR [ENV…]
  local label=$1 p=$2; shift 2
  echo "== $label ($p/$PAIRS) $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"; touch "$RES/.mark"
  (exec taskset 0x2 node "$here/cpu-watch.mjs" watch "${OURS_PORT:-3940}" "${OURS_PG_PORT:-54340}" "$RES/$label-$p-cpu.jsonl" 900) & W=$!
  env "$@" bash "$here/side-by-side.sh" "$dir" | tee "$RES/$label-$p.txt"
  kill $W 2>/dev/null || true; wait $W 2>/dev/null || true
  # side-by-side.sh keeps its per-round rows in a mktemp file: pick up the one it just wrote
  rows=$(grep -l '"kind":"effective"' $(find /tmp -maxdepth 1 -name 'tmp.*' -type f -newer "$RES/.mark") 2>/dev/null | head -1 || true)
  [ -n "$rows" ] && cp "$rows" "$RES/$label-$p-rows.jsonl"
  rps=$(awk '$3 == "req/s" {print $1 "=" $2}' "$RES/$label-$p.txt" | paste -sd,)
  node "$here/cpu-watch.mjs" summarize "$RES/$label-$p-cpu.jsonl" "${DUR:-8}" "$rps" | tee -a "$RES/$label-$p.txt"
}
for p in $(seq 1 "$PAIRS"); do
  ours ours "$p" V2_VIA_NEXT=0
  [ "$VIA_NEXT" = 1 ] && ours ours-next "$p" V2_VIA_NEXT=1
  echo "== unleash ($p/$PAIRS) $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  bash "$here/unleash-peer.sh" | tee "$RES/unleash-$p.txt"
  kept=$(sed -n 's/^kept: \([^ ]*\) .*/\1/p' "$RES/unleash-$p.txt"); cp "$kept/rows.jsonl" "$RES/unleash-$p-rows.jsonl"
done
echo "== pooled over $PAIRS pairs (median of all rounds)"
node -e '
const fs = require("fs"); const [res, pairs] = process.argv.slice(1);
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
for (const prod of ["ours", "ours-next", "unleash"]) { const rounds = [];
  for (let p = 1; p <= +pairs; p++) { const f = `${res}/${prod}-${p}-rows.jsonl`; if (!fs.existsSync(f)) continue;
    const rows = fs.readFileSync(f, "utf8").trim().split("\n").map(JSON.parse); let live;
    for (const r of rows) { if (r.kind === "live") live = r.rps; rounds.push({ ...r, ratio: r.rps / live }); } }
  for (const k of [...new Set(rounds.map((r) => r.kind))]) { const rs = rounds.filter((r) => r.kind === k);
    console.log(`${prod.padEnd(9)} ${k.padEnd(10)} ${med(rs.map((r) => r.rps)).toFixed(0).padStart(6)} req/s (min ${Math.min(...rs.map((r) => r.rps)).toFixed(0)}, max ${Math.max(...rs.map((r) => r.rps)).toFixed(0)}, n ${rs.length})  p50 ${med(rs.map((r) => r.p50))} ms  p99 ${med(rs.map((r) => r.p99))} ms  x live ${med(rs.map((r) => r.ratio)).toFixed(2)}  non-2xx ${rs.reduce((a, r) => a + r.bad, 0)}`); } }' "$RES" "$PAIRS"
