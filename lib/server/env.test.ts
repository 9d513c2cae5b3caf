// The environment's checks: a bad value stops the start with a message that names the variable.
import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

describe("DATABASE_POOL_IDLE_SECONDS", () => {
  it("takes whole seconds from 0 (keep until the process ends) to a day, and names itself when wrong", () => {
    expect(parseEnv({}).DATABASE_POOL_IDLE_SECONDS).toBeUndefined();
    expect(parseEnv({ DATABASE_POOL_IDLE_SECONDS: "0" }).DATABASE_POOL_IDLE_SECONDS).toBe(0);
    expect(parseEnv({ DATABASE_POOL_IDLE_SECONDS: "600" }).DATABASE_POOL_IDLE_SECONDS).toBe(600);
    for (const bad of ["-1", "1.5", "soon", "86401"])
      expect(() => parseEnv({ DATABASE_POOL_IDLE_SECONDS: bad })).toThrow(
        "DATABASE_POOL_IDLE_SECONDS: a whole number of seconds from 0 (keep idle connections open) to 86400",
      );
    expect(() => parseEnv({ DATABASE_POOL_SIZE: "ten" })).toThrow(
      "DATABASE_POOL_SIZE: a whole number of connections from 1 to 200",
    );
  });
});
