/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: preloaded with node --require */
// Preloaded into the app server (NODE_OPTIONS=--require) by bench/bare-put.sh: from PG_CAPTURE_FROM's creation on, it
// appends every query the pg driver is asked to run ({ connection, name, text, values }) as one JSON line to PG_CAPTURE, and
// takes itself out of the driver after the first seed-PUT write (a statement named upsert_write_*) and the
// statement after it (its COMMIT). The bench sends
// one PUT with it in place and checks that the bare server (bench/bare-put-server.ts) runs these very statements.
const fs = require("node:fs");
const out = process.env.PG_CAPTURE;
const pg = require(require.resolve("pg", { paths: [process.cwd()] }));
const original = pg.Client.prototype.query;
let armed = false;
let sawWrite = false;
const ids = new WeakMap(); // which connection sent it: background jobs (webhooks) share the pool
let nextId = 1;
pg.Client.prototype.query = function (config, values, callback) {
  if (!armed) armed = fs.existsSync(process.env.PG_CAPTURE_FROM);
  if (armed) {
    // A one-Sync round trip (db/round-trip.ts) carries its statements; anything else is one statement.
    const statements = Array.isArray(config?.statements)
      ? config.statements
      : [
          typeof config === "string"
            ? { text: config, values: Array.isArray(values) ? values : undefined }
            : config,
        ];
    if (!ids.has(this)) ids.set(this, nextId++);
    for (const s of statements) {
      const entry = { name: s.name, text: s.text, values: s.values, connection: ids.get(this) };
      fs.appendFileSync(out, JSON.stringify(entry) + "\n");
    }
    // The write's COMMIT is the last statement of the PUT (in the same round trip or the next call): capture it
    // too, then step out.
    const write = statements.findIndex((s) => /^upsert_write/.test(s.name ?? ""));
    if (sawWrite || (write >= 0 && write < statements.length - 1))
      pg.Client.prototype.query = original;
    if (write >= 0) sawWrite = true;
  }
  return original.call(this, config, values, callback);
};
