// The claim → role and clients mapping for single sign-on, and the start-time checks of the OIDC settings.
import { afterEach, describe, expect, it, vi } from "vitest";
import { getOidcConfig, mapClaim } from "./oidc";

describe("mapClaim (naming convention)", () => {
  it("takes the highest role, for all clients when any value says so", () => {
    expect(mapClaim(["staff", "mac:viewer", "mac:editor:client-1"], null)).toEqual({
      role: "editor",
      clients: ["client-1"],
    });
    expect(mapClaim(["mac:editor:client-2", "mac:editor"], null)).toEqual({
      role: "editor",
      clients: null,
    });
    expect(mapClaim(["mac:admin", "mac:viewer:client-1"], null)).toEqual({
      role: "admin",
      clients: null,
    });
  });

  it("unions the clients granted with the top role, and ignores lower roles' clients", () => {
    expect(
      mapClaim(["mac:editor:b", "mac:editor:a", "mac:viewer:c", "mac:editor:a"], null),
    ).toEqual({ role: "editor", clients: ["a", "b"] });
  });

  it("reads a space- or comma-separated string claim", () => {
    expect(mapClaim("staff mac:viewer", null)).toEqual({ role: "viewer", clients: null });
    expect(mapClaim("mac:viewer:x,mac:viewer:y", null)).toEqual({
      role: "viewer",
      clients: ["x", "y"],
    });
  });

  it("grants nothing for unknown values, a missing claim or junk", () => {
    expect(mapClaim(["staff", "mac:owner", "mac:"], null)).toBeNull();
    expect(mapClaim(undefined, null)).toBeNull();
    expect(mapClaim([1, null, {}], null)).toBeNull();
  });
});

describe("mapClaim (OIDC_GROUP_MAP)", () => {
  const map = {
    "platform-admins": { role: "admin" as const, clients: "*" as const },
    "team-sa": { role: "editor" as const, clients: ["client-1"] },
  };
  it("uses only the map's entries", () => {
    expect(mapClaim(["team-sa", "mac:admin"], map)).toEqual({
      role: "editor",
      clients: ["client-1"],
    });
    expect(mapClaim(["platform-admins"], map)).toEqual({ role: "admin", clients: null });
    expect(mapClaim(["mac:admin"], map)).toBeNull();
  });
});

describe("getOidcConfig", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    // getEnv caches: reload the module graph for the next case.
    vi.resetModules();
  });

  async function load(env: Record<string, string>) {
    vi.resetModules();
    for (const key of Object.keys(process.env))
      if (key.startsWith("OIDC_")) delete process.env[key];
    Object.assign(process.env, env);
    return (await import("./oidc")).getOidcConfig;
  }

  it("is off without settings", async () => {
    expect((await load({}))()).toBeNull();
    expect(getOidcConfig).toBeTypeOf("function");
  });

  it("refuses half a configuration, a missing NEXTAUTH_URL and a bad group map", async () => {
    expect(await load({ OIDC_ISSUER: "https://idp.example.com" }).then((f) => () => f())).toThrow(
      /OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together/,
    );
    const full = {
      OIDC_ISSUER: "https://idp.example.com/",
      OIDC_CLIENT_ID: "console",
      OIDC_CLIENT_SECRET: "secret",
    };
    delete process.env.NEXTAUTH_URL;
    expect(await load(full).then((f) => () => f())).toThrow(/NEXTAUTH_URL/);
    process.env.NEXTAUTH_URL = "https://models.example.com";
    expect(await load({ ...full, OIDC_GROUP_MAP: "{not json" }).then((f) => () => f())).toThrow(
      /OIDC_GROUP_MAP must be JSON/,
    );
    expect(
      await load({ ...full, OIDC_GROUP_MAP: '{"a": "owner"}' }).then((f) => () => f()),
    ).toThrow(/OIDC_GROUP_MAP: a/);
    const config = (await load({ ...full, OIDC_GROUP_MAP: '{"a": "viewer"}' }))();
    expect(config).toMatchObject({
      issuer: "https://idp.example.com",
      roleClaim: "groups",
      groupMap: { a: { role: "viewer", clients: "*" } },
    });
  });
});
