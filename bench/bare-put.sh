#!/usr/bin/env bash
# bare-put.sh DIR (`npm run bench:bare-put`): the seed PUT of the app (production build in DIR, /v2 on the fast path)
# against the no-framework limit, bench/bare-put-server.ts (node:http + pg, the same statements in the same two round
# trips), side by side on one PostgreSQL 15 cluster of their own (the bare server on a copy of the app's database, so neither
# server's background work — the app's change listener, webhooks — runs for the other's writes). Both servers and PostgreSQL are pinned to core 0,
# autocannon (20 connections, PUTs over 5,000 keys, the metadata changing every time so every PUT writes) to core 1.
# First the app's statements for one PUT are captured from its pg driver (bench/capture-pg.cjs) and compared with
# bench/bare-put-sql.json, which the bare server runs: the bench stops if they differ. Then ROUNDS rounds, each
# running both (the order alternating), DUR seconds each; per run: req/s, p50/p99, and CPU ms per request of the
# server process and of the cluster's PostgreSQL processes (from /proc), plus how busy core 0 was with anything else.
# PROFILE=DIR: the app server runs with --cpu-prof into DIR (summarise with bench/profile-summary.ts). NODE_FLAGS: more
# flags for the app's node (e.g. --perf-basic-prof, for `perf record` with JavaScript's function names).
# The app runs as `npm start` does (node scripts/start.mjs), without npm in between.
# Knobs: ROUNDS (5), DUR (8), CONN (20), OURS_PORT (3530), BARE_PORT (3532), PG_PORT (3531). Needs root (su
# postgres), taskset, PostgreSQL's binaries, 2 cores.
set -euo pipefail
dir=$(cd "${1:-.}" && pwd); here=$(cd "$(dirname "$0")" && pwd)
ROUNDS=${ROUNDS:-5}; DUR=${DUR:-8}; CONN=${CONN:-20}
OURS_PORT=${OURS_PORT:-3530}; BARE_PORT=${BARE_PORT:-3532}; PG_PORT=${PG_PORT:-3531}
K=/tmp/perfkit; [ -d $K/node_modules/autocannon ] || { mkdir -p $K; (cd $K && npm init -y >/dev/null && npm i --no-audit --no-fund autocannon@8 >/dev/null); }
pgbin=$(ls -d /usr/lib/postgresql/*/bin | tail -1); pgd=$(mktemp -d -t bareput.XXXX); chown postgres "$pgd"
su postgres -c "$pgbin/initdb -D $pgd/data -A trust >/dev/null"
su postgres -c "taskset 0x1 $pgbin/pg_ctl -D $pgd/data -o '-p $PG_PORT -k /tmp ${PG_OPTS:-}' -l $pgd/log start >/dev/null"
cleanup() {
  [ -n "${SG:-}" ] && kill -- -"$SG" 2>/dev/null; [ -n "${BG:-}" ] && kill -- -"$BG" 2>/dev/null
  if [ -n "${PROFILE:-}" ]; then sleep 4; else sleep 1; fi; su postgres -c "$pgbin/pg_ctl -D $pgd/data stop -m fast" >/dev/null 2>&1; true
}
trap cleanup EXIT
sleep 2
url=postgres://postgres@127.0.0.1:$PG_PORT/postgres
export AUTH_SECRET=acceptance-secret-0123456789abcdef0123456789abcdef
data=$(mktemp -d -t bareputdata.XXXX)
(cd "$dir" && PORT=$OURS_PORT DATA_DIR=$data NODE_ENV=production DATABASE_URL=$url \
  NODE_OPTIONS="--require $here/capture-pg.cjs" PROF="${PROFILE:+--cpu-prof --cpu-prof-dir=$PROFILE} ${NODE_FLAGS:-}" PG_CAPTURE=$data/captured.jsonl PG_CAPTURE_FROM=$data/capture-now \
  setsid bash -c 'echo $$ > "$0/pid"; exec taskset 0x1 node $PROF scripts/start.mjs' "$data" >"$data/server.log" 2>&1 </dev/null &)
for i in $(seq 1 20); do [ -s "$data/pid" ] && break; sleep 0.2; done
SG=$(cat "$data/pid")
for i in $(seq 1 240); do curl -sf -o /dev/null http://127.0.0.1:$OURS_PORT/v2/health/live && break; sleep 0.5; done
TOKEN=$(cd "$dir" && DATA_DIR=$data DATABASE_URL=$url npm run -s token -- --sub perf --scope admin --client client-1)
S=/v2/clients/client-1/domains/south_australia/service/service-1/assignments
# The capture: one seed PUT (on a key with an active revision, like the bench's), its statements copied from the driver.
body() { echo "{\"model_id\":\"example-model\",\"model_version\":\"$1\",\"metadata\":{\"i\":$2}}"; }
curl -sf -X PUT "http://127.0.0.1:$OURS_PORT$S/capture" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d "$(body 1.0.0 0)" >/dev/null
touch "$data/capture-now"
curl -sf -X PUT "http://127.0.0.1:$OURS_PORT$S/capture" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d "$(body 2.0.0 1)" >/dev/null
sleep 0.5
node "$here/bare-put-rounds.cjs" check "$data/captured.jsonl" "$here/bare-put-sql.json"
# The bare server writes to a copy of the database (schema, triggers, data), so the app (its change listener, its
# webhook jobs) never works for the bare server's writes, and each one's PostgreSQL time is its own.
su postgres -c "$pgbin/createdb -h /tmp -p $PG_PORT bare && $pgbin/pg_dump -h /tmp -p $PG_PORT postgres | $pgbin/psql -q -h /tmp -p $PG_PORT bare >/dev/null"
(cd "$dir" && DATABASE_URL=${url%/postgres}/bare BARE_TOKEN=bare-bench-token BARE_POOL=${BARE_POOL:-10} \
  setsid bash -c 'echo $$ > "$0/bare-pid"; exec taskset 0x1 node --import tsx bench/bare-put-server.ts '"$BARE_PORT" "$data" >"$data/bare.log" 2>&1 </dev/null &)
for i in $(seq 1 20); do [ -s "$data/bare-pid" ] && break; sleep 0.2; done
BG=$(cat "$data/bare-pid")
for i in $(seq 1 40); do curl -s -o /dev/null -X PUT http://127.0.0.1:$BARE_PORT$S/probe -H 'authorization: Bearer bare-bench-token' -d '{}' && break; sleep 0.5; done
pm=$(head -1 "$pgd/data/postmaster.pid")
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
NODE_PATH=$K/node_modules taskset 0x2 node "$here/bare-put-rounds.cjs" run \
  "http://127.0.0.1:$OURS_PORT" "$TOKEN" "http://127.0.0.1:$BARE_PORT" bare-bench-token "$S" \
  "$SG" "$BG" "$pm" "$ROUNDS" "$DUR" "$CONN"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
# PG_STATS=1 (with PG_OPTS="-c shared_preload_libraries=pg_stat_statements"): where PostgreSQL's time went, per database.
if [ -n "${PG_STATS:-}" ]; then
  su postgres -c "$pgbin/psql -h /tmp -p $PG_PORT postgres -c 'create extension if not exists pg_stat_statements' -c \"select d.datname, calls, round(total_exec_time::numeric) ms, round((total_exec_time/calls)::numeric, 3) per_call, shared_blks_hit + shared_blks_read blks, left(regexp_replace(query, '\\s+', ' ', 'g'), 50) q from pg_stat_statements s join pg_database d on d.oid = s.dbid order by total_exec_time desc limit 14\""
  # and what ran most often in each database (with track=all, the triggers' statements too): the PUT's own
  # statements, and any background work a write wakes
  su postgres -c "$pgbin/psql -h /tmp -p $PG_PORT postgres -c \"select * from (select d.datname, calls, round(total_exec_time::numeric) ms, round((total_exec_time/calls)::numeric, 3) per_call, round((shared_blks_hit + shared_blks_read)::numeric / calls, 1) blks, toplevel top, left(regexp_replace(query, '\\s+', ' ', 'g'), 60) q, row_number() over (partition by d.datname order by calls desc) n from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname in ('postgres', 'bare')) x where n <= 18 order by datname, calls desc\""
fi
# Writes to the revisions table per database: how many updates were HOT (no index entries written) and how many dead
# rows are left for vacuum.
for db in postgres bare; do
  su postgres -c "$pgbin/psql -h /tmp -p $PG_PORT $db -Atc \"select '$db: assignments n_tup_upd=' || n_tup_upd || ' n_tup_hot_upd=' || n_tup_hot_upd || ' n_live_tup=' || n_live_tup || ' n_dead_tup=' || n_dead_tup || ' autovacuums=' || autovacuum_count from pg_stat_user_tables where relname = 'assignments'\""
done
