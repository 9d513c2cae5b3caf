#!/usr/bin/env bash
# unleash-peer.sh: the peer product, Unleash (npm unleash-server, default 8.2.0), measured the way side-by-side.sh
# measures our app: its own throwaway PostgreSQL cluster (port 54341) and the server both pinned to core 0, autocannon
# (from /tmp/perfkit) pinned to core 1, a warm-up, then ROUNDS alternating rounds of DUR s at CONN connections:
#   live   GET /health                                    (static; its liveness route)
#   put    PUT /api/admin/projects/default/features/model-svc-{i%10}/environments/development/strategies/{id}
#          (admin token; replaces the flexibleRollout strategy's parameters + variant payload
#           {"model_id":"example-model","model_version":"1.0.0"|"2.0.0","i":N}; one transaction + a
#           feature-strategy-update event row holding data and preData: Unleash's audit trail)
#   read   GET /api/client/features                       (backend SDK token + SDK headers: what a server SDK polls;
#          served from Unleash's in-memory payload cache, keyed by the revision id; no If-None-Match, so 200 + body)
#   read1  GET /api/client/features/model-svc-0           (one flag, not cached: a database read per request)
# Data set: 10 release flags, each with one flexibleRollout strategy carrying a JSON variant payload, enabled in
# development. Prints the same lines as side-by-side.sh (median req/s, p50/p99, ratio to liveness of the same round),
# then CPU (server process group + postgres, from /proc, via cpu-watch.mjs) per case and SQL statements per request
# (log_statement=all, 20 sequential requests, the server's 1 Hz background statements filtered out).
# Only 127.0.0.1 traffic; stops only what it started (server process group, watcher, its PostgreSQL cluster).
# Knobs: ROUNDS=3 DUR=8 CONN=20 UL_DIR=/tmp/unleash UL_VERSION=8.2.0 UL_POOL_MAX (default: Unleash's own, 4)
#        UL_CLIENT_CACHE=true (false: Unleash's client-features cache off, so read hits the database too)
set -euo pipefail
ROUNDS=${ROUNDS:-3}; DUR=${DUR:-8}; CONN=${CONN:-20}; UL=${UL_DIR:-/tmp/unleash}; V=${UL_VERSION:-8.2.0}
PGPORT=${PEER_PG_PORT:-54341}; PORT=${PEER_PORT:-4242}; here=$(cd "$(dirname "$0")" && pwd)
K=/tmp/perfkit; [ -d $K/node_modules/autocannon ] || { mkdir -p $K; (cd $K && npm init -y >/dev/null && npm i --no-audit --no-fund autocannon@8 >/dev/null); }
if [ "$(node -p "try{require('$UL/node_modules/unleash-server/package.json').version}catch{''}")" != "$V" ]; then
  mkdir -p $UL; (cd $UL && { [ -f package.json ] || npm init -y >/dev/null; } && npm i --no-audit --no-fund unleash-server@$V >/dev/null 2>&1)
fi
cat > $UL/start.mjs <<'JS'
// unleash-server started as a library; the rest of its config comes from the environment (DATABASE_URL, INIT_*).
import { start } from 'unleash-server';
await start({
  db: { ssl: false },
  server: { port: Number(process.env.UL_PORT), host: '127.0.0.1' },
  versionCheck: { enable: false }, // no call home: only loopback traffic
  telemetry: false,
});
JS
pgbin=$(ls -d /usr/lib/postgresql/*/bin | tail -1); pgd=$(mktemp -d -t perfulpg.XXXX); chown postgres "$pgd"
data=$(mktemp -d -t perfuldata.XXXX)
cleanup() {
  [ -n "${WP:-}" ] && kill "$WP" 2>/dev/null
  [ -n "${SG:-}" ] && kill -- -"$SG" 2>/dev/null
  su postgres -c "$pgbin/pg_ctl -D $pgd/data stop -m fast" >/dev/null 2>&1 && rm -rf "$pgd"; true
}
trap cleanup EXIT
su postgres -c "$pgbin/initdb -D $pgd/data -A trust >/dev/null"
# The port can still be held for a moment by a client socket of the previous run: retry for up to 30 s.
for try in $(seq 1 30); do
  su postgres -c "taskset 0x1 $pgbin/pg_ctl -D $pgd/data -o '-p $PGPORT -k /tmp' -l $pgd/log start >/dev/null" && break
  [ "$try" = 30 ] && { tail -3 "$pgd/log"; exit 1; }
  sleep 1
done
sleep 2
PSQL=(psql -h 127.0.0.1 -p $PGPORT -U postgres -qAt)
ADMIN='*:*.perf-admin-0123456789abcdef0123456789'; CLIENT='default:development.perf-client-0123456789abcdef01234567'
ENVS=(DATABASE_URL=postgres://postgres@127.0.0.1:$PGPORT/postgres UL_PORT=$PORT NODE_ENV=production
  CHECK_VERSION=false SEND_TELEMETRY=false LOG_LEVEL=warn CLIENT_FEATURE_CACHING_ENABLED=${UL_CLIENT_CACHE:-true}
  TOKEN_AUTHENTICATION_RATE_LIMIT_PER_MINUTE=1000000000 SDK_API_RATE_LIMIT_PER_MINUTE=1000000000 # 20,000/min per IP otherwise
  INIT_ADMIN_API_TOKENS="$ADMIN" INIT_BACKEND_API_TOKENS="$CLIENT")
[ -n "${UL_POOL_MAX:-}" ] && ENVS+=(DATABASE_POOL_MAX=$UL_POOL_MAX)
(cd $UL && env "${ENVS[@]}" \
  setsid bash -c 'echo $$ > "$0/pid"; exec taskset 0x1 node start.mjs' "$data" >"$data/server.log" 2>&1 </dev/null &)
for i in $(seq 1 20); do [ -s "$data/pid" ] && break; sleep 0.2; done
SG=$(cat "$data/pid")
B=http://127.0.0.1:$PORT
for i in $(seq 1 120); do curl -sf -o /dev/null $B/health && break; sleep 0.5; done
curl -sf -o /dev/null $B/health || { echo "unleash did not start:"; tail -20 "$data/server.log"; exit 1; }
# --- data set: 10 flags, one flexibleRollout strategy each with a JSON variant payload, enabled in development ---
api() { curl -sf -X "$1" "$B$2" -H "authorization: $ADMIN" -H 'content-type: application/json' ${3:+-d "$3"}; }
F=/api/admin/projects/default/features; : > "$data/ids"
for n in $(seq 0 9); do
  api POST $F "{\"name\":\"model-svc-$n\",\"type\":\"release\",\"description\":\"which model version service-$n runs\"}" >/dev/null
  api POST $F/model-svc-$n/environments/development/strategies "{\"name\":\"flexibleRollout\",\"constraints\":[],\"parameters\":{\"rollout\":\"100\",\"stickiness\":\"default\",\"groupId\":\"model-svc-$n\"},\"variants\":[{\"name\":\"model\",\"weight\":1000,\"weightType\":\"variable\",\"stickiness\":\"default\",\"payload\":{\"type\":\"json\",\"value\":\"{\\\"model_id\\\":\\\"example-model\\\",\\\"model_version\\\":\\\"1.0.0\\\"}\"}}]}" | jq -r .id >> "$data/ids"
  api POST $F/model-svc-$n/environments/development/on >/dev/null
done
IDS=$(paste -sd, "$data/ids")
# --- the load driver (name ends in run.cjs so cpu-watch.mjs tags its phases) ---
cat > $K/ul-run.cjs <<'JS'
const autocannon = require("autocannon");
const [base, kind, dur, conn, admin, client, ids, etag] = process.argv.slice(2);
const id = ids.split(","); let i = 0;
const sdk = { authorization: client, "unleash-appname": "perf-svc", "unleash-instanceid": "perf-1",
  "unleash-sdk": "unleash-client-node:6.0.0", "unleash-client-spec": "5.2.0" };
const o = { url: base, duration: +dur, connections: +conn };
if (kind === "live") o.url = base + "/health";
else if (kind === "read") { o.url = base + "/api/client/features"; o.headers = sdk; }
else if (kind === "read304") { o.url = base + "/api/client/features"; o.headers = { ...sdk, "if-none-match": etag }; }
else if (kind === "read1") { o.url = base + "/api/client/features/model-svc-0"; o.headers = sdk; }
else o.requests = [{ method: "PUT", headers: { authorization: admin, "content-type": "application/json" }, setupRequest: (r) => {
  const n = i++ % id.length;
  return { ...r, path: `/api/admin/projects/default/features/model-svc-${n}/environments/development/strategies/${id[n]}`,
    body: JSON.stringify({ name: "flexibleRollout", constraints: [], segments: [],
      parameters: { rollout: "100", stickiness: "default", groupId: `model-svc-${n}` },
      variants: [{ name: "model", weight: 1000, weightType: "variable", stickiness: "default", payload: { type: "json",
        value: JSON.stringify({ model_id: "example-model", model_version: i % 2 ? "1.0.0" : "2.0.0", i }) } }] }) }; } }];
autocannon(o, (e, r) => { const bad = (kind === "read304" ? r.requests.total - (r["3xx"] ?? 0) : r.non2xx) + r.errors; console.log(JSON.stringify({ kind, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bad })); });
JS
KINDS="live put read read304 read1"
ac() { ET=$(curl -s -D - -o /dev/null $B/api/client/features -H "authorization: $CLIENT" -H 'unleash-appname: perf-svc' -H 'unleash-client-spec: 5.2.0' | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
  taskset 0x2 node $K/ul-run.cjs $B "$1" "$2" $CONN "$ADMIN" "$CLIENT" "$IDS" "$ET"; }
cpu=$data/cpu.jsonl; (exec taskset 0x2 node "$here/cpu-watch.mjs" watch $PORT $PGPORT "$cpu" 1800) & WP=$!
for k in $KINDS; do ac $k 4 >/dev/null; done   # warm-up
out=$data/rows.jsonl; for r in $(seq 1 $ROUNDS); do for k in $KINDS; do ac $k $DUR >> $out; done; done
kill $WP 2>/dev/null; WP=
echo "unleash-server $V on node $(node -v), PostgreSQL $("${PSQL[@]}" -c 'show server_version' | cut -d' ' -f1); ROUNDS=$ROUNDS DUR=$DUR CONN=$CONN"
rps=$(node -e '
const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
const live = rows.filter((r) => r.kind === "live").map((r) => r.rps); const m = [];
for (const k of process.argv[2].split(" ")) { const rs = rows.filter((r) => r.kind === k);
  const ratios = rs.map((r, j) => r.rps / live[j]); m.push(`${k}=${med(rs.map((r) => r.rps)).toFixed(1)}`);
  console.error(`${k.padEnd(10)} ${med(rs.map((r) => r.rps)).toFixed(0).padStart(6)} req/s  p50 ${med(rs.map((r) => r.p50))} ms  p99 ${med(rs.map((r) => r.p99))} ms  x live ${med(ratios).toFixed(2)}  non-2xx ${rs.reduce((a, r) => a + r.bad, 0)}`); }
console.log(m.join(","));' $out "$KINDS" 2>&1 >"$data/rps")
echo "$rps"
node "$here/cpu-watch.mjs" summarize "$cpu" $DUR "$(cat "$data/rps")"
# --- SQL statements per request (20 sequential requests each, after the load) ---
"${PSQL[@]}" -c "alter system set log_statement='all'" -c "select pg_reload_conf()" >/dev/null; sleep 0.5
BG='select max\("id"\) from "events"|update "events" set "announced"|set search_path|"api_tokens" set "seen_at"|unleash_session|potentially_stale'
for k in put read read1; do
  off=$(stat -c %s $pgd/log)
  for n in $(seq 1 20); do case $k in
    put) m=$(( (n - 1) % 10 )); id=$(sed -n "$((m + 1))p" "$data/ids")
      api PUT $F/model-svc-$m/environments/development/strategies/$id "{\"name\":\"flexibleRollout\",\"constraints\":[],\"segments\":[],\"parameters\":{\"rollout\":\"100\",\"stickiness\":\"default\",\"groupId\":\"model-svc-$m\"},\"variants\":[{\"name\":\"model\",\"weight\":1000,\"weightType\":\"variable\",\"stickiness\":\"default\",\"payload\":{\"type\":\"json\",\"value\":\"{\\\"model_id\\\":\\\"example-model\\\",\\\"model_version\\\":\\\"2.0.0\\\"}\"}}]}" >/dev/null ;;
    read) curl -sf -o /dev/null $B/api/client/features -H "authorization: $CLIENT" -H 'unleash-appname: perf-svc' -H 'unleash-client-spec: 5.2.0' ;;
    read1) curl -sf -o /dev/null $B/api/client/features/model-svc-0 -H "authorization: $CLIENT" -H 'unleash-appname: perf-svc' -H 'unleash-client-spec: 5.2.0' ;;
  esac; done
  sleep 0.3; tail -c +$((off + 1)) $pgd/log > "$data/statements-$k.log"
  n=$(grep -E 'LOG:  (statement|execute [^:]*):' "$data/statements-$k.log" | grep -cvE "$BG" || true)
  echo "sql $k: $(node -p "($n/20).toFixed(1)") statements/request ($n for 20 sequential; log: $data/statements-$k.log)"
done
"${PSQL[@]}" -c "alter system reset log_statement" -c "select pg_reload_conf()" >/dev/null
echo "kept: $data (rows.jsonl, cpu.jsonl, server.log, statements-*.log)"
