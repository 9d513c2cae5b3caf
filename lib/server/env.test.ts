// The environment's checks: a bad value stops the start with a message that names the variable.
import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

describe("the numeric settings", () => {
  it("DATABASE_POOL_IDLE_SECONDS takes whole seconds from 0 (keep until the process ends) to a day, and names itself when wrong", () => {
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

  it("say what they take when a value is not a whole number in range", () => {
    expect(() => parseEnv({ PORT: "80a" })).toThrow("PORT: a port number from 1 to 65535");
    expect(() => parseEnv({ PORT: "70000" })).toThrow("PORT: a port number from 1 to 65535");
    expect(parseEnv({ PORT: "3001" }).PORT).toBe(3001);
    expect(() => parseEnv({ CHANGE_STREAMS_PER_CREDENTIAL: "0" })).toThrow(
      "CHANGE_STREAMS_PER_CREDENTIAL: a whole number of streams from 1 to 1000",
    );
    // Every bad variable is named in one message.
    expect(() => parseEnv({ PORT: "x", DATABASE_POOL_SIZE: "0" })).toThrow(
      /PORT: a port number[\s\S]*DATABASE_POOL_SIZE: a whole number/,
    );
  });
});
