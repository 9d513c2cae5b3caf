// The layout of docs/decisions/021: server modules are marked server-only, db/ stands alone.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

function files(dir: string, pattern: RegExp): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "migrations" ? [] : files(rel, pattern);
    return pattern.test(entry.name) ? [rel] : [];
  });
}

const source = (rel: string) => fs.readFileSync(path.join(ROOT, rel), "utf8");
const isModule = /^(?!.*\.test\.tsx?$)(?!.*\.d\.ts$).*\.tsx?$/;

describe("server and browser apart", () => {
  it('marks every module under lib/server with import "server-only"', () => {
    const unmarked = files("lib/server", isModule).filter(
      (f) => !/^import "server-only";$/m.test(source(f)),
    );
    expect(unmarked).toEqual([]);
  });

  it("marks the database modules that open connections or write", () => {
    const unmarked = ["db/client.ts", "db/open.ts", "db/seed.ts", "db/dry-run.ts"].filter(
      (f) => !/^import "server-only";$/m.test(source(f)),
    );
    expect(unmarked).toEqual([]);
  });

  it("keeps db/ free of imports from lib/", () => {
    const offending = files("db", isModule).filter((f) =>
      /from "(@\/lib\/|(\.\.\/)+lib\/)/.test(source(f)),
    );
    expect(offending).toEqual([]);
  });

  it("keeps db/client.ts and db/seed.ts from importing each other", () => {
    expect(source("db/client.ts")).not.toMatch(/from "\.\/seed"/);
    expect(source("db/seed.ts")).not.toMatch(/from "\.\/client"/);
  });

  it("keeps browser and shared code off server modules and the database", () => {
    const browserSide = [
      "components",
      "lib/browser",
      "lib/shared",
      "lib/schemas",
      "lib/features",
    ].flatMap((dir) => files(dir, isModule));
    const offending = browserSide.filter((f) =>
      /^import (?!type )[^;]*from "@\/(lib\/server|db)\//m.test(source(f)),
    );
    expect(offending).toEqual([]);
  });
});
