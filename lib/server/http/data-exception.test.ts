// A value the input checks let through but PostgreSQL can't store is still bad input: a 400 that says what to
// fix, without PostgreSQL's own text (which can quote internals and stays in the server log).
import { describe, expect, it } from "vitest";
import { dataExceptionMessage } from "./route";

describe("dataExceptionMessage", () => {
  it("names what to fix per data-exception code and the request id, never PostgreSQL's text", () => {
    const json = dataExceptionMessage("22P02", "req-1");
    expect(json).toBe(
      "Bad input: a value is not in the form its field needs (a number, a date, an id or JSON); correct it and retry (request id req-1)",
    );
    expect(json).not.toMatch(/invalid input syntax|type json/);
    expect(dataExceptionMessage("22001", "req-2")).toMatch(/longer than its field allows/);
    expect(dataExceptionMessage("22P05", "req-3")).toMatch(/can't be stored \(such as \\u0000\)/);
  });

  it("falls back to a plain message for any other code of the class", () => {
    expect(dataExceptionMessage("22012", "req-4")).toBe(
      "Bad input: a value in the request can't be stored; correct it and retry (request id req-4)",
    );
  });
});
