#!/usr/bin/env bash
# side-by-side.sh DIR (bench/peer; ports: OURS_PORT, OURS_PG_PORT): the landed app (prepared in DIR) on its own PostgreSQL cluster, server + database pinned
# to core 0, autocannon on core 1. Alternating rounds of: liveness, seed PUT over 5,000 keys, effective GET of one
# service, whole-domain effective GET (10 services: what a job launcher polls), and the same with If-None-Match (304).
# Prints one line per case: median req/s, p50/p99 and the ratio to liveness of the same round.
set -euo pipefail
dir=$1; ROUNDS=${ROUNDS:-3}; DUR=${DUR:-8}; CONN=${CONN:-20}
K=/tmp/perfkit; [ -d $K/node_modules/autocannon ] || { mkdir -p $K; (cd $K && npm init -y >/dev/null && npm i --no-audit --no-fund autocannon@8 >/dev/null); }
pgbin=$(ls -d /usr/lib/postgresql/*/bin | tail -1); pgd=$(mktemp -d -t perfpg.XXXX); chown postgres "$pgd"
su postgres -c "$pgbin/initdb -D $pgd/data -A trust >/dev/null"
# The port can still be held for a moment by a client socket of the previous run (an ephemeral port is any port):
# retry for up to 30 s before giving up.
for try in $(seq 1 30); do
  su postgres -c "taskset 0x1 $pgbin/pg_ctl -D $pgd/data -o '-p ${OURS_PG_PORT:-54340} -k /tmp' -l $pgd/log start >/dev/null" && break
  [ "$try" = 30 ] && { tail -3 "$pgd/log"; exit 1; }
  sleep 1
done
trap 'su postgres -c "$pgbin/pg_ctl -D $pgd/data stop -m fast" >/dev/null 2>&1; [ -n "${SG:-}" ] && kill -- -$SG 2>/dev/null; true' EXIT
sleep 2
url=postgres://postgres@127.0.0.1:${OURS_PG_PORT:-54340}/postgres
export AUTH_SECRET=acceptance-secret-0123456789abcdef0123456789abcdef
data=$(mktemp -d -t perfdata.XXXX)
(cd "$dir" && PORT=${OURS_PORT:-3940} DATA_DIR=$data NODE_ENV=production DATABASE_URL=$url \
  setsid bash -c 'echo $$ > "$0/pid"; exec taskset 0x1 npm start' "$data" >"$data/server.log" 2>&1 </dev/null &)
for i in $(seq 1 20); do [ -s "$data/pid" ] && break; sleep 0.2; done
SG=$(cat "$data/pid")
for i in $(seq 1 120); do curl -sf -o /dev/null http://127.0.0.1:${OURS_PORT:-3940}/v2/health/live && break; sleep 0.5; done
TOKEN=$(cd "$dir" && DATA_DIR=$data DATABASE_URL=$url npm run -s token -- --sub perf --scope admin --client client-1)
B=http://127.0.0.1:${OURS_PORT:-3940}; S=/v2/clients/client-1/domains/south_australia/service/service-1/assignments
curl -sf -X PUT "$B$S/default" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"model_id":"example-model","model_version":"1.0.0"}' >/dev/null
cat > $K/run.cjs <<'JS'
const autocannon = require("autocannon");
const [base, kind, dur, conn, token, path, etag] = process.argv.slice(2);
let i = 0; const h = { authorization: `Bearer ${token}`, "content-type": "application/json" };
const o = { url: base, duration: +dur, connections: +conn };
if (kind === "live") o.url = base + "/v2/health/live";
else if (kind === "effective") { o.url = base + path + "/default/effective"; o.headers = h; }
else if (kind === "domain") { o.url = base + path.replace(/\/service\/[^/]+/, "") + "/default/effective"; o.headers = h; }
else if (kind === "domain304") { o.url = base + path.replace(/\/service\/[^/]+/, "") + "/default/effective"; o.headers = { ...h, "if-none-match": etag }; }
// Every PUT body differs across runs too (the process id: each run is its own autocannon process), else a round
// repeats the previous one's bodies and the app answers them as unchanged without writing.
else o.requests = [{ method: "PUT", headers: h, setupRequest: (r) => ({ ...r, path: `${path}/k${i++ % 5000}`,
  body: JSON.stringify({ model_id: "example-model", model_version: i % 2 ? "1.0.0" : "2.0.0", metadata: { i, run: process.pid } }) }) }];
autocannon(o, (e, r) => { const bad = (kind === "domain304" ? r.requests.total - (r["3xx"] ?? 0) : r.non2xx) + r.errors; console.log(JSON.stringify({ kind, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bad })); });
JS
DS=${S/\/service\/service-1/}
KINDS="live put effective domain domain304"
ac() { ET=$(curl -s -D - -o /dev/null "$B$DS/default/effective" -H "authorization: Bearer $TOKEN" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
  taskset 0x2 node $K/run.cjs $B "$1" "$2" $CONN "$TOKEN" "$S" "$ET"; }
for k in $KINDS; do ac $k 4 >/dev/null; done   # warm-up
out=$(mktemp); for r in $(seq 1 $ROUNDS); do for k in $KINDS; do ac $k $DUR >> $out; done; done
node -e '
const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
const live = rows.filter((r) => r.kind === "live").map((r) => r.rps);
for (const k of ["live", "put", "effective", "domain", "domain304"]) { const rs = rows.filter((r) => r.kind === k);
  const ratios = rs.map((r, j) => r.rps / live[j]);
  console.log(`${k.padEnd(10)} ${med(rs.map((r) => r.rps)).toFixed(0).padStart(6)} req/s  p50 ${med(rs.map((r) => r.p50))} ms  p99 ${med(rs.map((r) => r.p99))} ms  x live ${med(ratios).toFixed(2)}  non-2xx ${rs.reduce((a, r) => a + r.bad, 0)}`); }' $out
