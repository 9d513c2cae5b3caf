/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: loads autocannon from NODE_PATH (/tmp/perfkit) */
// bench/bare-put.sh's helper (plain CommonJS: runs with autocannon from /tmp/perfkit on NODE_PATH).
//   check CAPTURED.jsonl SQL.json   the app's seed-PUT statements (from bench/capture-pg.cjs) must be the bare
//                                   server's: same names, texts and the same two round trips; exits 1 otherwise.
//   run OURS TOKEN BARE BARE_TOKEN PATH OURS_PGID BARE_PGID POSTMASTER ROUNDS DUR CONN
//                                   alternating rounds of autocannon against both; CPU of the server's process group
//                                   and of PostgreSQL (the postmaster, its children, and its reaped children) from /proc.
const fs = require("node:fs");
const [mode, ...args] = process.argv.slice(2);

if (mode === "check") {
  const [capturedFile, sqlFile] = args;
  const all = fs.readFileSync(capturedFile, "utf8").trim().split("\n").map(JSON.parse);
  const want = JSON.parse(fs.readFileSync(sqlFile, "utf8"));
  // The PUT's own connection and transaction: the BEGIN whose connection next sends a statement named like the
  // PUT's lock. Background jobs (the scheduler, webhooks) may use the pool, even that connection, meanwhile.
  const next = (i) => all.slice(i + 1).find((q) => q.connection === all[i].connection);
  const begin = all.findIndex((q, i) => q.text === "begin" && next(i)?.name === want.lock.name);
  const captured =
    begin < 0 ? all : all.slice(begin).filter((q) => q.connection === all[begin].connection);
  // BEGIN and COMMIT by their text (the app names them: tx_begin_v1, tx_commit_v1).
  const seq = captured.map((q) =>
    q.text === "begin" || q.text === "commit" ? q.text : (q.name ?? q.text),
  );
  const expected = ["begin", want.lock.name, want.context.name, want.write.name, "commit"];
  const problems = [];
  if (JSON.stringify(seq) !== JSON.stringify(expected))
    problems.push(`statement sequence ${JSON.stringify(seq)} != ${JSON.stringify(expected)}`);
  for (const part of ["lock", "context", "write"]) {
    const got = captured.find((q) => q.name === want[part].name);
    if (!got || got.text !== want[part].text) {
      problems.push(`${part}: text differs from bench/bare-put-sql.json`);
      continue;
    }
    // The captured parameter names must describe what the app sent: one value per name, nulls where "null".
    const byName = new Map();
    want[part].params.forEach((n, i) => {
      const v = JSON.stringify(got.values[i]);
      if (n === "null" && v !== "null")
        problems.push(`${part}: parameter ${i + 1} is ${v}, not null`);
      if (n === "emptyArray" && v !== "[]")
        problems.push(`${part}: parameter ${i + 1} is ${v}, not []`);
      if (byName.has(n) && byName.get(n) !== v)
        problems.push(`${part}: ${n} takes two values (${byName.get(n)}, ${v})`);
      byName.set(n, v);
    });
  }
  if (problems.length) {
    console.error(
      `bare server out of date with the app (refresh bench/bare-put-sql.json):\n  ${problems.join("\n  ")}`,
    );
    console.error(`captured: ${capturedFile}`);
    process.exit(1);
  }
  console.log(
    `statements checked: the app's seed PUT sends ${expected.join(", ")} (texts equal to the bare server's)`,
  );
  process.exit(0);
}

const autocannon = require("autocannon");
const [ours, token, bare, bareToken, path, oursPgid, barePgid, postmaster, rounds, dur, conn] =
  args;
const HZ = 100;
function stat(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return { pid: +pid, ppid: +f[1], pgrp: +f[2], ticks: +f[11] + +f[12], child: +f[13] + +f[14] };
  } catch {
    return null;
  }
}
function core0() {
  const l = fs
    .readFileSync("/proc/stat", "utf8")
    .split("\n")
    .find((x) => x.startsWith("cpu0 "));
  const f = l.trim().split(/\s+/).slice(1).map(Number);
  return f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
}
function snapshot() {
  const all = fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(stat)
    .filter(Boolean);
  const group = (g) => all.filter((p) => p.pgrp === +g).reduce((a, p) => a + p.ticks, 0);
  const pm = stat(postmaster);
  const pg =
    pm.ticks +
    pm.child +
    all.filter((p) => p.ppid === +postmaster).reduce((a, p) => a + p.ticks, 0);
  return {
    ours: group(oursPgid),
    bare: group(barePgid),
    pg,
    core0: core0(),
    at: performance.now(),
  };
}
let runs = 0;
function run(base, tok, prefix) {
  // Every body of every run differs (the run's number in the metadata): each PUT writes a revision on both servers.
  // (Restarting only the counter per run would repeat the previous run's bodies, which the app answers as
  // unchanged without writing, and the bare server, which has no such check, writes anyway.)
  const tag = ++runs;
  let i = 0;
  const h = { authorization: `Bearer ${tok}`, "content-type": "application/json" };
  return new Promise((resolve, reject) =>
    autocannon(
      {
        url: base,
        duration: +dur,
        connections: +conn,
        requests: [
          {
            method: "PUT",
            headers: h,
            setupRequest: (r) => ({
              ...r,
              path: `${path}/${prefix}${i++ % 5000}`,
              body: JSON.stringify({
                model_id: "example-model",
                model_version: i % 2 ? "1.0.0" : "2.0.0",
                metadata: { run: tag, i },
              }),
            }),
          },
        ],
      },
      (e, r) => (e ? reject(e) : resolve(r)),
    ),
  );
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
(async () => {
  const rows = [];
  const targets = { ours: [ours, token, "k"], bare: [bare, bareToken, "b"] };
  for (const name of ["ours", "bare"])
    await run(...targets[name].slice(0, 2), targets[name][2]).then(() => {}); // warm-up
  for (let r = 0; r < +rounds; r++) {
    for (const name of r % 2 ? ["bare", "ours"] : ["ours", "bare"]) {
      const a = snapshot();
      const res = await run(...targets[name]);
      const b = snapshot();
      const secs = (b.at - a.at) / 1000;
      const n = res.requests.total;
      const srvMs = ((b[name] - a[name]) * 1000) / HZ / n;
      const pgMs = ((b.pg - a.pg) * 1000) / HZ / n;
      const core0Busy = (100 * (b.core0 - a.core0)) / HZ / secs;
      const other = core0Busy - (100 * (b[name] - a[name] + b.pg - a.pg)) / HZ / secs;
      const row = {
        round: r + 1,
        name,
        rps: res.requests.average,
        p50: res.latency.p50,
        p99: res.latency.p99,
        bad: res.non2xx + res.errors,
        srvMs,
        pgMs,
        cpuMs: srvMs + pgMs,
        core0Other: other,
        load1: +fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0],
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
  console.log("\nmedians over rounds:");
  for (const name of ["ours", "bare"]) {
    const rs = rows.filter((x) => x.name === name);
    const m = (k) => med(rs.map((x) => x[k]));
    console.log(
      `${name.padEnd(5)} ${m("rps").toFixed(0).padStart(6)} req/s (min ${Math.min(...rs.map((x) => x.rps)).toFixed(0)}, max ${Math.max(...rs.map((x) => x.rps)).toFixed(0)})  p50 ${m("p50")} ms  p99 ${m("p99")} ms  CPU/req ${m("cpuMs").toFixed(2)} ms (server ${m("srvMs").toFixed(2)} + postgres ${m("pgMs").toFixed(2)})  core0 other ${m("core0Other").toFixed(0)}%  non-2xx ${rs.reduce((a, x) => a + x.bad, 0)}`,
    );
  }
  const ratio = (k) =>
    med(
      Array.from({ length: +rounds }, (_, r) => {
        const o = rows.find((x) => x.round === r + 1 && x.name === "ours");
        const b = rows.find((x) => x.round === r + 1 && x.name === "bare");
        return o[k] / b[k];
      }),
    );
  console.log(
    `ours / bare (median of per-round ratios): req/s ${ratio("rps").toFixed(2)}x, CPU per request ${ratio("cpuMs").toFixed(2)}x`,
  );
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
