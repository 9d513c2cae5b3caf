import { it } from "vitest";
import { PGlite } from "@electric-sql/pglite";
it("timing", async () => {
  for (let i = 0; i < 3; i++) {
    const t = Date.now();
    const c = await PGlite.create();
    const t2 = Date.now();
    await c.query("select 1");
    console.log("create", t2 - t, "q", Date.now() - t2);
    await c.close();
  }
});
