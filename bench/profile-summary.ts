// Summarises a V8 .cpuprofile (node --cpu-prof) by area: self time per package or source path, with the
// production build's minified chunks mapped back to their sources through the build's source maps.
//
//   npx tsx bench/profile-summary.ts <file.cpuprofile | folder> [--from <µs> --to <µs>]
//
// --from/--to keep only samples inside a window of the monotonic clock (the clock V8 stamps profiles with,
// the same as process.hrtime), so start-up and shutdown don't dilute the figures; bench/run.ts passes the
// load generator's measured window.
import fs from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(import.meta.dirname, "..");

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] };
type CpuProfile = {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};

type AreaRow = { area: string; ms: number; pctBusy: number };
type FunctionRow = { fn: string; where: string; area: string; ms: number; pctBusy: number };
export type ProfileSummary = {
  file: string;
  /** Self time charged to the nearest frame on the stack that is not Node core or a native (who caused it). */
  owners: AreaRow[];
  windowMs: number;
  sampledMs: number;
  idleMs: number;
  busyMs: number;
  areas: AreaRow[];
  ourFiles: { file: string; ms: number; pctBusy: number }[];
  topFunctions: FunctionRow[];
  windowApplied: boolean;
};

// ---- source maps -------------------------------------------------------------------------------------

const maps = new Map<string, { map: SourceMap; dir: string } | null>();

function mapFor(file: string): { map: SourceMap; dir: string } | null {
  if (maps.has(file)) return maps.get(file)!;
  let entry: { map: SourceMap; dir: string } | null = null;
  try {
    const mapFile = `${file}.map`;
    if (fs.existsSync(mapFile))
      entry = {
        map: new SourceMap(JSON.parse(fs.readFileSync(mapFile, "utf8"))),
        dir: path.dirname(mapFile),
      };
  } catch {
    entry = null;
  }
  maps.set(file, entry);
  return entry;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The original source (project-relative path) and line of a frame, through the chunk's source map if any. */
function locate(frame: CallFrame): { source: string; line: number } {
  const { url } = frame;
  if (!url.startsWith("file://")) return { source: url, line: frame.lineNumber + 1 };
  const file = fileURLToPath(url);
  // Only the build's chunks are mapped: a package's own maps would hide which package it is.
  const m = file.startsWith(path.join(ROOT, ".next") + path.sep) ? mapFor(file) : null;
  if (m) {
    const hit = m.map.findEntry(frame.lineNumber, frame.columnNumber) as {
      originalSource?: string;
      originalLine?: number;
    };
    if (hit.originalSource) {
      const original = hit.originalSource.startsWith("file://")
        ? fileURLToPath(hit.originalSource)
        : path.resolve(m.dir, safeDecode(hit.originalSource));
      return { source: path.relative(ROOT, original), line: (hit.originalLine ?? 0) + 1 };
    }
  }
  return { source: path.relative(ROOT, file), line: frame.lineNumber + 1 };
}

// ---- areas -------------------------------------------------------------------------------------------

const PG_PACKAGES = new Set([
  "pg",
  "pg-protocol",
  "pg-pool",
  "pg-types",
  "pg-connection-string",
  "pg-int8",
  "pgpass",
  "postgres-array",
  "postgres-bytea",
  "postgres-date",
  "postgres-interval",
  "split2",
]);

function packageOf(source: string): string | null {
  const idx = source.lastIndexOf("node_modules/");
  if (idx < 0) return null;
  const rest = source.slice(idx + "node_modules/".length).split("/");
  return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
}

/** The area of a located frame: the summary's rows. */
function areaOf(source: string, functionName: string): string {
  if (source === "") {
    if (functionName === "(idle)") return "(idle: waiting for I/O)";
    if (functionName === "(garbage collector)") return "V8 garbage collector";
    if (functionName === "(program)") return "V8/native (program)";
    // JSON.parse/JSON.stringify show up as natives named parse/stringify (when V8 does not inline them into the caller).
    if (functionName === "parse" || functionName === "stringify")
      return "JSON (native parse/stringify)";
    return "native";
  }
  if (source.startsWith("wasm://")) return "PGlite (wasm + JS)";
  if (source.startsWith("node:internal/deps/undici"))
    return "Node web Request/Response/streams (undici, webstreams)";
  if (
    source.startsWith("node:internal/webstreams") ||
    source.startsWith("node:internal/abort_controller") ||
    source.startsWith("node:internal/event_target")
  )
    return "Node web Request/Response/streams (undici, webstreams)";
  if (
    /^node:(internal\/)?(http|_http|net|stream|streams|internal\/streams|internal\/http|dns|tls|internal\/stream_base)/.test(
      source,
    )
  )
    return "Node HTTP/net/streams";
  if (source.startsWith("node:")) return "Node core (other)";
  if (source.includes("[turbopack]")) return "Next.js internals";
  const pkg = packageOf(source);
  if (pkg) {
    // drizzle-orm's own source maps point at "../src/…", which loses the package name.
    if (pkg === "src") return "drizzle-orm";
    if (
      pkg === "next" ||
      pkg.startsWith("@next/") ||
      pkg === "react" ||
      pkg === "react-dom" ||
      pkg.startsWith("react-server-dom")
    ) {
      if (source.includes("next/dist/compiled/zod")) return "zod";
      if (source.includes("next/dist/compiled/jose")) return "jose/auth";
      return "Next.js internals";
    }
    if (pkg === "jose") return "jose/auth";
    if (pkg === "zod") return "zod";
    if (PG_PACKAGES.has(pkg)) return "pg driver";
    if (pkg === "@electric-sql/pglite") return "PGlite (wasm + JS)";
    if (pkg === "drizzle-orm") return "drizzle-orm";
    return `other package: ${pkg}`;
  }
  if (source.startsWith(".next/")) return "Next.js build runtime (.next, unmapped)";
  if (source.startsWith("lib/server/auth/")) return "jose/auth";
  if (/^(lib|db|app|instrumentation)/.test(source)) return "our code";
  return `other: ${source.split("/").slice(0, 2).join("/")}`;
}

// ---- summary -----------------------------------------------------------------------------------------

export function summarizeProfile(
  file: string,
  window?: { fromUs: number; toUs: number },
): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }

  // Self time per node: a sample lasts until the next one.
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  let inWindow = 0;
  const keep = (ts: number) => !window || (ts >= window.fromUs && ts <= window.toUs);
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    const dur = profile.timeDeltas[i + 1] ?? 0;
    if (!keep(t)) continue;
    inWindow++;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dur);
  }
  // A window that does not overlap the profile (clocks differ?): fall back to the whole profile.
  if (window && inWindow === 0) return summarizeProfile(file);
  const windowApplied = Boolean(window);

  const located = new Map<number, { source: string; line: number; area: string }>();
  const locateNode = (id: number): { source: string; line: number; area: string } => {
    const cached = located.get(id);
    if (cached) return cached;
    const node = byId.get(id)!;
    const { source, line } = locate(node.callFrame);
    let area = areaOf(source, node.callFrame.functionName);
    // A native frame (a C++ binding such as a socket write or a hash) counts toward whoever called it.
    if (area === "native") {
      const p = parent.get(id);
      area = p !== undefined ? locateNode(p).area : "V8/native (program)";
      if (area === "(idle: waiting for I/O)") area = "V8/native (program)";
    }
    const result = { source, line, area };
    located.set(id, result);
    return result;
  };

  // Node core and natives are charged to the nearest caller outside them: a socket write under the pg driver
  // is the driver's, one under Next's response code is Next's.
  const NODE_AREAS = new Set([
    "Node HTTP/net/streams",
    "Node core (other)",
    "Node web Request/Response/streams (undici, webstreams)",
    "V8/native (program)",
  ]);
  const ownerCache = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const cached = ownerCache.get(id);
    if (cached) return cached;
    const own = locateNode(id).area;
    let owner = own;
    if (NODE_AREAS.has(own)) {
      const p = parent.get(id);
      const up =
        p !== undefined && byId.get(p)!.callFrame.functionName !== "(root)" ? ownerOf(p) : own;
      owner = NODE_AREAS.has(up) ? own : up;
    }
    ownerCache.set(id, owner);
    return owner;
  };

  const areas = new Map<string, number>();
  const owners = new Map<string, number>();
  const ourFiles = new Map<string, number>();
  const fns = new Map<string, { fn: string; where: string; area: string; us: number }>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    if (us === 0) continue;
    const node = byId.get(id)!;
    const loc = locateNode(id);
    total += us;
    if (loc.area === "(idle: waiting for I/O)") idle += us;
    areas.set(loc.area, (areas.get(loc.area) ?? 0) + us);
    const owner = ownerOf(id);
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    if (loc.area === "our code" || (loc.area === "jose/auth" && loc.source.startsWith("lib/"))) {
      const file =
        loc.source || `(native ${node.callFrame.functionName || "code"} called from our code)`;
      ourFiles.set(file, (ourFiles.get(file) ?? 0) + us);
    }
    const name = node.callFrame.functionName || "(anonymous)";
    const where = loc.source ? `${loc.source}:${loc.line}` : "";
    const key = `${name}@${where}`;
    const f = fns.get(key) ?? { fn: name, where, area: loc.area, us: 0 };
    f.us += us;
    fns.set(key, f);
  }
  const busy = total - idle;
  const pct = (us: number) => (busy > 0 ? (100 * us) / busy : 0);
  return {
    file,
    windowMs:
      window && windowApplied
        ? (window.toUs - window.fromUs) / 1000
        : (profile.endTime - profile.startTime) / 1000,
    sampledMs: total / 1000,
    idleMs: idle / 1000,
    busyMs: busy / 1000,
    areas: [...areas.entries()]
      .filter(([a]) => a !== "(idle: waiting for I/O)")
      .map(([area, us]) => ({ area, ms: us / 1000, pctBusy: pct(us) }))
      .sort((a, b) => b.ms - a.ms),
    owners: [...owners.entries()]
      .filter(([a]) => a !== "(idle: waiting for I/O)")
      .map(([area, us]) => ({ area, ms: us / 1000, pctBusy: pct(us) }))
      .sort((a, b) => b.ms - a.ms),
    ourFiles: [...ourFiles.entries()]
      .map(([f, us]) => ({ file: f, ms: us / 1000, pctBusy: pct(us) }))
      .sort((a, b) => b.ms - a.ms),
    topFunctions: [...fns.values()]
      .filter((f) => f.area !== "(idle: waiting for I/O)")
      .sort((a, b) => b.us - a.us)
      .slice(0, Number(process.env.TOPN ?? 25))
      .map((f) => ({
        fn: f.fn,
        where: f.where,
        area: f.area,
        ms: f.us / 1000,
        pctBusy: pct(f.us),
      })),
    windowApplied,
  };
}

export function profileMarkdown(s: ProfileSummary, title = "CPU profile"): string {
  const lines: string[] = [];
  const n = (x: number) => x.toFixed(0);
  lines.push(`### ${title}`, "");
  lines.push(
    `Profile \`${path.basename(s.file)}\`; ${s.windowApplied ? "measured window only" : "whole profile"}: ` +
      `${n(s.sampledMs)} ms sampled, ${n(s.busyMs)} ms on CPU, ${n(s.idleMs)} ms idle (waiting for the database or the network). ` +
      `Percentages are of on-CPU time.`,
    "",
  );
  lines.push("| area | self ms | % of CPU |", "|---|---:|---:|");
  for (const a of s.areas) lines.push(`| ${a.area} | ${n(a.ms)} | ${a.pctBusy.toFixed(1)} |`);
  lines.push(
    "",
    "The same time charged to whoever caused it: Node core and native frames (socket writes, streams, microtasks) go to the nearest " +
      "caller outside Node core (e.g. a socket write under the pg driver counts as the pg driver); what stays under Node is event-loop work with no such caller.",
    "",
    "| caused by | self ms | % of CPU |",
    "|---|---:|---:|",
  );
  for (const a of s.owners) lines.push(`| ${a.area} | ${n(a.ms)} | ${a.pctBusy.toFixed(1)} |`);
  lines.push(
    "",
    "Our code (and lib/server/auth) by file:",
    "",
    "| file | self ms | % of CPU |",
    "|---|---:|---:|",
  );
  for (const f of s.ourFiles.slice(0, 15))
    lines.push(`| ${f.file} | ${n(f.ms)} | ${f.pctBusy.toFixed(1)} |`);
  lines.push(
    "",
    "Top functions by self time:",
    "",
    "| function | where | area | self ms | % of CPU |",
    "|---|---|---|---:|---:|",
  );
  for (const f of s.topFunctions)
    lines.push(
      `| \`${f.fn.replace(/\|/g, "\\|")}\` | ${f.where.replace(/\|/g, "\\|")} | ${f.area} | ${n(f.ms)} | ${f.pctBusy.toFixed(1)} |`,
    );
  lines.push("");
  return lines.join("\n");
}

function newestProfileIn(dir: string): string {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (!files[0]) throw new Error(`no .cpuprofile in ${dir}`);
  return files[0];
}

export function findProfile(target: string): string {
  return fs.statSync(target).isDirectory() ? newestProfileIn(target) : target;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const target = args.find((a) => !a.startsWith("--") && !/^\d+$/.test(a));
  if (!target) {
    console.error(
      "usage: tsx bench/profile-summary.ts <file.cpuprofile | folder> [--from <µs> --to <µs>]",
    );
    process.exit(2);
  }
  const from = args.indexOf("--from");
  const to = args.indexOf("--to");
  const window =
    from >= 0 && to >= 0
      ? { fromUs: Number(args[from + 1]), toUs: Number(args[to + 1]) }
      : undefined;
  console.log(profileMarkdown(summarizeProfile(findProfile(target), window)));
}
