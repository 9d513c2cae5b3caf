// `npm run bench:console`: figures for the web console, measured in a real browser against the production build
// on PostgreSQL: first-load JS (gzipped) of the domain page and the assignment editor, and how long the services
// table takes to show a domain of 10,000 services and to filter it.
import { randomUUID } from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Page } from "@playwright/test";
import { encode } from "next-auth/jwt";
import { openDatabase } from "@/db/open";
import { createUser } from "@/lib/server/users/users";
import { createScratchPostgres } from "../tests/helpers/test-database";
import { ROOT, startServer } from "../tests/helpers/server";

const SECRET = "console-figures-secret-0123456789-abcdefghijkl";
const SERVICES = Number(process.env.BENCH_CONSOLE_SERVICES ?? 10_000);
const DOMAIN = "bench_console";
const PORT = Number(process.env.BENCH_CONSOLE_PORT ?? 3390);

async function firstLoadJs(
  page: Page,
  url: string,
  ready: () => Promise<unknown>,
): Promise<{ files: number; raw: number; gzip: number }> {
  const scripts = new Set<string>();
  const onRequest = (r: { resourceType: () => string; url: () => string }) => {
    if (r.resourceType() === "script") scripts.add(r.url());
  };
  page.on("request", onRequest);
  await page.goto(url);
  await ready();
  page.off("request", onRequest);
  let raw = 0;
  let gzip = 0;
  for (const src of scripts) {
    const body = Buffer.from(await (await fetch(src)).arrayBuffer());
    raw += body.length;
    gzip += gzipSync(body).length;
  }
  return { files: scripts.size, raw, gzip };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function main(): Promise<void> {
  spawnSync(process.execPath, [path.join(ROOT, "scripts", "build-if-needed.mjs")], {
    stdio: "inherit",
  });
  process.env.TEST_DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";
  const scratch = await createScratchPostgres();
  const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) =>
    fs.existsSync(p),
  );
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  const browser = await chromium.launch({
    executablePath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  try {
    const database = await openDatabase({ url: scratch.url, seedDemo: true });
    await database.query(
      `insert into domains (client_id, id, name, status) values ('client-1', $1, 'Bench: 10,000 services', 'active')`,
      [DOMAIN],
    );
    // Half carry a route (compatible with example-model 2.0.0), half don't: the compatibility filter has work to do.
    await database.query(
      `insert into services (client_id, domain_id, id, name, provided_features)
       select 'client-1', $1, 'svc-' || lpad(g::text, 5, '0'), 'Service ' || g,
         case when g % 2 = 0 then jsonb_build_object('route', 'route-' || g, 'mode', 'bus') else jsonb_build_object('mode', 'tram') end
       from generate_series(1, $2::int) g`,
      [DOMAIN, SERVICES],
    );
    const user = await createUser(database, {
      body: {
        email: "figures@example.test",
        role: "admin",
        password: "figures-password-1",
      },
    });
    // The demo's change request waiting for review (western_australia, #1): the request page's figure.
    const [demoRequest] = await database.query<{ id: string }>(
      `select id from change_requests where client_id = 'client-1' and number = 1`,
    );
    if (!demoRequest) throw new Error("The demo data has no change request #1 for client-1");
    await database.close();

    server = await startServer({
      port: PORT,
      env: { DATABASE_URL: scratch.url, AUTH_SECRET: SECRET },
    });
    const context = await browser.newContext({ baseURL: server.url });
    const cookie = await encode({
      // As a sign-in issues it: this session's id, a new person's session version (1), the sign-in time.
      token: {
        uid: user.id,
        email: user.email,
        name: "Figures",
        role: "admin",
        sid: randomUUID(),
        sv: 1,
        sat: Math.floor(Date.now() / 1000),
      },
      secret: SECRET,
    });
    await context.addCookies([{ name: "next-auth.session-token", value: cookie, url: server.url }]);
    const page = await context.newPage();
    const domainUrl = `/clients/client-1/domains/${DOMAIN}`;
    const table = () => page.getByRole("table").filter({ hasText: "svc-00001" }).waitFor();

    // Warm the server (first compile of each route's modules) before measuring.
    await page.goto(domainUrl);
    await table();
    await page.goto(`${domainUrl}/assignments/default`);
    await page.waitForLoadState("networkidle");

    const domainJs = await firstLoadJs(page, domainUrl, table);
    const editorJs = await firstLoadJs(
      page,
      `/clients/client-1/domains/south_australia/assignments/default`,
      () => page.getByRole("heading", { level: 1 }).waitFor(),
    );

    const runs = (n: number, fn: () => Promise<unknown>) =>
      (async () => {
        const times: number[] = [];
        for (let i = 0; i < n; i++) times.push(await timed(fn));
        times.sort((a, b) => a - b);
        return {
          median: times[Math.floor(times.length / 2)]!,
          runs: times.map((t) => Math.round(t)),
        };
      })();

    const show = await runs(5, async () => {
      await page.goto(domainUrl);
      await table();
    });
    const search = await runs(5, async () => {
      await page.goto(domainUrl);
      await table();
      await page.getByRole("searchbox").first().fill("svc-09999");
      await page.getByRole("link", { name: "svc-09999" }).waitFor();
    });
    const compat = await runs(5, async () => {
      await page.goto(`${domainUrl}?compatible_with=example-model%402.0.0&compatible=false`);
      await page.getByRole("link", { name: "svc-00001" }).waitFor();
    });
    const nextPage = await runs(5, async () => {
      await page.goto(domainUrl);
      await table();
      await page.getByRole("button", { name: /next/i }).first().click();
      await page.getByRole("link", { name: "svc-00051" }).waitFor();
    });

    // The request page: its title, then each change's impact (the services that move, wa-103's filled-in route).
    const requestUrl = `/clients/client-1/change-requests/${demoRequest.id}`;
    const requestShown = async () => {
      await page.goto(requestUrl);
      await page.getByRole("heading", { level: 1, name: /#1 / }).waitFor();
      await page.getByText("wa-103").first().waitFor();
    };
    await requestShown();
    const requestPage = await runs(5, requestShown);

    const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
    const md = [
      `# Console figures`,
      ``,
      `Run ${new Date().toISOString()} · \`npm run bench:console\` · production build, PostgreSQL, Chromium (headless) on this 2-core machine; a domain of ${SERVICES.toLocaleString("en")} services.`,
      ``,
      `| page | JS files | first-load JS (raw) | first-load JS (gzip) |`,
      `|---|---:|---:|---:|`,
      `| domain page (services table) | ${domainJs.files} | ${kb(domainJs.raw)} | ${kb(domainJs.gzip)} |`,
      `| assignment editor | ${editorJs.files} | ${kb(editorJs.raw)} | ${kb(editorJs.gzip)} |`,
      ``,
      `| services table, ${SERVICES.toLocaleString("en")} services | median ms | runs ms |`,
      `|---|---:|---|`,
      `| open the domain page until the first page of rows shows | ${Math.round(show.median)} | ${show.runs.join(", ")} |`,
      `| … then search by id until the match shows | ${Math.round(search.median)} | ${search.runs.join(", ")} |`,
      `| open filtered "not compatible with example-model 2.0.0" | ${Math.round(compat.median)} | ${compat.runs.join(", ")} |`,
      `| … open the page, then next page of 50 | ${Math.round(nextPage.median)} | ${nextPage.runs.join(", ")} |`,
      ``,
      `| change request page (the demo's request #1) | median ms | runs ms |`,
      `|---|---:|---|`,
      `| open it until its title and its impact (the services that move) show | ${Math.round(requestPage.median)} | ${requestPage.runs.join(", ")} |`,
      ``,
      `The search row includes loading the page first (the median of "open" above) and the input's debounce.`,
    ].join("\n");
    fs.mkdirSync(path.join(ROOT, "bench", "results"), { recursive: true });
    fs.writeFileSync(path.join(ROOT, "bench", "results", "console.md"), md + "\n");
    console.log(md);
  } finally {
    await browser.close();
    await server?.stop();
    await scratch.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
