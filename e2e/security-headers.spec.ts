// Security headers on pages and API answers: a nonce-based CSP under which the console still runs (no CSP
// violation while using it), no framing, nosniff, Referrer-Policy and Permissions-Policy.
import { expect, signInAs, test } from "./fixtures";

test.describe("security headers", () => {
  test("pages carry a nonce CSP, the console runs under it, and it can't be framed", async ({
    page,
  }) => {
    const violations: string[] = [];
    page.on("console", (msg) => {
      if (/Content Security Policy|Refused to (execute|load|apply)/i.test(msg.text()))
        violations.push(msg.text());
    });
    const login = await page.goto("/login");
    const loginCsp = login!.headers()["content-security-policy"]!;
    expect(loginCsp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(loginCsp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(loginCsp).toMatch(/frame-ancestors 'none'/);
    expect(login!.headers()["x-content-type-options"]).toBe("nosniff");
    expect(login!.headers()["referrer-policy"]).toBe("same-origin");
    expect(login!.headers()["permissions-policy"]).toMatch(/camera=\(\)/);
    // Plain HTTP here: no HSTS (it is sent behind HTTPS).
    expect(login!.headers()["strict-transport-security"]).toBeUndefined();

    await signInAs(page, "admin");
    const first = await page.goto("/access");
    const second = await page.goto("/access");
    const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)![1]!;
    const nonce = nonceOf(second!.headers()["content-security-policy"]!);
    expect(nonce).not.toBe(nonceOf(first!.headers()["content-security-policy"]!));
    // Next's own scripts carry this response's nonce, and the page is interactive under the policy.
    const scripts = await page
      .locator("script")
      .evaluateAll((els) => els.map((el) => (el as HTMLScriptElement).nonce));
    expect(scripts.length).toBeGreaterThan(0);
    for (const n of scripts) expect(n).toBe(nonce);
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByRole("dialog", { name: "Create an API token" })).toBeVisible();
    await page.keyboard.press("Escape");
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Model registry" })
      .click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(violations).toEqual([]);

    // Another site framing the Access page gets nothing.
    await page.setContent(
      `<iframe id="f" src="${new URL("/access", page.url()).href}" width="400" height="300"></iframe>`,
    );
    const frame = page.frame({ url: /\/access/ });
    const framedBody = frame ? await frame.content().catch(() => "") : "";
    expect(framedBody).not.toContain("API tokens");
  });

  test("API answers carry the API headers", async ({ request }) => {
    for (const path of ["/v2/health/live", "/v2/openapi.json", "/v2/me", "/v2/nope"]) {
      const res = await request.get(path);
      const headers = res.headers();
      expect(headers["content-security-policy"], path).toMatch(
        /default-src 'none'.*frame-ancestors 'none'/,
      );
      expect(headers["x-content-type-options"], path).toBe("nosniff");
      expect(headers["referrer-policy"], path).toBe("no-referrer");
      expect(headers["permissions-policy"], path).toMatch(/camera=\(\)/);
    }
  });
});
