// Preloaded (node --import) into an earlier version's processes by build.mjs when it records what that version
// sends to PostgreSQL during a rolling upgrade: every statement any pg client sends (text and bind values, in
// the order they are written to the sockets) is appended to FIXTURE_RECORD as one JSON line. The rolling-upgrade
// test sends them again to a database migrated by today's code, as the previous version's instance would.
// Copied into the earlier version's tree, so `pg` is the very module its code uses.
import fs from "node:fs";
import pg from "pg";

const file = process.env.FIXTURE_RECORD;
if (file) {
  const query = pg.Client.prototype.query;
  let clients = 0;
  const ids = new WeakMap();
  pg.Client.prototype.query = function (config, values, callback) {
    const text = typeof config === "string" ? config : config?.text;
    if (typeof text === "string") {
      const params = typeof config === "string" ? values : (config.values ?? values);
      if (!ids.has(this)) ids.set(this, ++clients);
      fs.appendFileSync(
        file,
        `${JSON.stringify({ client: ids.get(this), text, params: Array.isArray(params) ? params : [] })}\n`,
      );
    }
    return query.call(this, config, values, callback);
  };
}
