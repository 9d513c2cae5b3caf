// Database.listen on both drivers: each channel's notifications reach its own subscribers only; on PostgreSQL every
// channel shares one connection (decision 133), which comes back with all of them after it is lost.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchPostgres, DRIVERS } from "@/tests/helpers/test-database";
import { openPglite, openPostgres } from "./client";
import { LISTEN_APPLICATION_NAME } from "./listen-postgres";
import type { Database } from "./types";

async function waitFor(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const until = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(DRIVERS)("listen on %s", (driver) => {
  let database: Database;
  let drop = async () => {};
  beforeAll(async () => {
    if (driver === "postgres") {
      const scratch = await createScratchPostgres();
      drop = scratch.drop;
      database = await openPostgres(scratch.url, 2);
    } else {
      database = await openPglite("memory://");
    }
  }, 60_000);
  afterAll(async () => {
    await database?.close();
    await drop();
  });

  const notify = (channel: string, payload: string) =>
    database.query(`select pg_notify($1, $2)`, [channel, payload]);
  /** The backends listening for this database (PostgreSQL). */
  const listeningBackends = async () =>
    (
      await database.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = $1`,
        [LISTEN_APPLICATION_NAME],
      )
    )[0]!.n;

  it("gives each channel's notifications to that channel's subscribers only, until they stop", async () => {
    const a: string[] = [];
    const b: string[] = [];
    const stopA = await database.listen(
      "chan_a",
      (p) => a.push(p),
      () => {},
    );
    const stopB = await database.listen(
      "chan_b",
      (p) => b.push(p),
      () => {},
    );
    await notify("chan_a", "1");
    await notify("chan_b", "2");
    await notify("chan_a", "3");
    await waitFor("three notifications", () => a.length + b.length === 3);
    expect(a).toEqual(["1", "3"]);
    expect(b).toEqual(["2"]);

    await stopA();
    await notify("chan_a", "4");
    await notify("chan_b", "5");
    await waitFor("chan_b's second notification", () => b.length === 2);
    expect(b).toEqual(["2", "5"]);
    expect(a).toEqual(["1", "3"]);
    await stopB();
  });

  if (driver === "postgres") {
    it("listens on one connection whatever the number of channels and subscribers, closed with the last", async () => {
      const got: string[] = [];
      const stops = [
        await database.listen(
          "chan_a",
          (p) => got.push(`a1:${p}`),
          () => {},
        ),
        await database.listen(
          "chan_b",
          (p) => got.push(`b:${p}`),
          () => {},
        ),
        await database.listen(
          "chan_a",
          (p) => got.push(`a2:${p}`),
          () => {},
        ),
      ];
      expect(await listeningBackends()).toBe(1);
      await notify("chan_a", "x");
      await waitFor("both chan_a subscribers", () => got.length === 2);
      expect(got.sort()).toEqual(["a1:x", "a2:x"]);

      // One of two subscribers of a channel stops: the other still hears it, on the same connection.
      await stops[0]!();
      await notify("chan_a", "y");
      await waitFor("the other chan_a subscriber", () => got.includes("a2:y"));
      expect(got).not.toContain("a1:y");
      expect(await listeningBackends()).toBe(1);

      await stops[1]!();
      await stops[2]!();
      await waitFor("no listening connection", async () => (await listeningBackends()) === 0);
    });

    it("reports a lost connection to every subscriber, then listens on every channel again", async () => {
      const states = { a: [] as boolean[], b: [] as boolean[] };
      const got: string[] = [];
      const stopA = await database.listen(
        "chan_a",
        (p) => got.push(`a:${p}`),
        (up) => states.a.push(up),
      );
      const stopB = await database.listen(
        "chan_b",
        (p) => got.push(`b:${p}`),
        (up) => states.b.push(up),
      );
      expect(states).toEqual({ a: [true], b: [true] });

      await database.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = $1`,
        [LISTEN_APPLICATION_NAME],
      );
      await waitFor(
        "both subscribers told of the loss and of the return",
        () => states.a.length === 3 && states.b.length === 3,
      );
      expect(states).toEqual({ a: [true, false, true], b: [true, false, true] });
      expect(await listeningBackends()).toBe(1);

      await notify("chan_a", "after");
      await notify("chan_b", "after");
      await waitFor("both channels heard again", () => got.length === 2);
      expect(got.sort()).toEqual(["a:after", "b:after"]);

      await stopA();
      await stopB();
      expect(states).toEqual({ a: [true, false, true, false], b: [true, false, true, false] });
    });

    it("refuses a channel name that is not an identifier, leaving nothing listening", async () => {
      await expect(
        database.listen(
          "no; drop table x",
          () => {},
          () => {},
        ),
      ).rejects.toThrow(/not a channel name/);
      expect(await listeningBackends()).toBe(0);
    });
  }
});
