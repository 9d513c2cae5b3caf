// Documentation travels with the code: no Markdown file in the repo links outside it (a user's clone has nothing
// beside it), to a repo file that does not exist, or to a heading that is not there.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SKIP_DIRS = new Set(["node_modules", "test-results", "playwright-report"]);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith(".") || SKIP_DIRS.has(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(full);
    return entry.name.endsWith(".md") ? [full] : [];
  });
}

/** The link targets of a Markdown text, outside code blocks and code spans. */
function linkTargets(markdown: string): string[] {
  const prose = markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "")
    .replace(/`[^`\n]*`/g, "");
  const inline = [
    ...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g),
  ];
  const references = [
    ...prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*$/gm),
  ];
  const html = [...prose.matchAll(/<(?:a|img)\s[^>]*?(?:href|src)="([^"]+)"/g)];
  return [...inline, ...references, ...html].map((m) => m[1]!);
}

/** GitHub's anchor for a heading. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, "utf8").replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  return new Set([...text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((m) => slug(m[1]!)));
}

/** What is wrong with one link of `file` (a path inside `root`), or null when it is fine. */
function problemWith(root: string, file: string, target: string): string | null {
  if (/^(https?:|mailto:)/i.test(target)) return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return `links outside the repo (${target})`;
  if (target.startsWith("/")) return `uses an absolute path (${target}); link relative to the file`;
  const [rawPath, anchor] = target.split("#", 2) as [string, string | undefined];
  const resolved = rawPath ? path.resolve(path.dirname(file), decodeURI(rawPath)) : file;
  const relative = path.relative(root, resolved);
  if (relative.startsWith("..") || path.isAbsolute(relative))
    return `links outside the repo (${target})`;
  if (!existsSync(resolved)) return `links to ${relative}, which does not exist`;
  if (anchor && resolved.endsWith(".md") && statSync(resolved).isFile()) {
    if (!anchorsOf(resolved).has(anchor.toLowerCase()))
      return `links to #${anchor}, a heading ${relative} does not have`;
  }
  return null;
}

describe("the link checker", () => {
  const readme = path.join(ROOT, "README.md");
  it("flags links outside the repo, missing files and missing headings", () => {
    expect(problemWith(ROOT, readme, "../shared/spec/API.md")).toMatch(/outside the repo/);
    expect(problemWith(ROOT, readme, "file:///etc/passwd")).toMatch(/outside the repo/);
    expect(problemWith(ROOT, readme, "/docs/api.md")).toMatch(/absolute path/);
    expect(problemWith(ROOT, readme, "docs/nope.md")).toMatch(/does not exist/);
    expect(problemWith(ROOT, readme, "docs/api.md#no-such-heading")).toMatch(/heading/);
  });
  it("accepts web links and existing files and headings", () => {
    expect(problemWith(ROOT, readme, "http://localhost:3000/docs/api")).toBeNull();
    expect(problemWith(ROOT, readme, "docs/api.md")).toBeNull();
    expect(problemWith(ROOT, readme, "docs/api.md#errors")).toBeNull();
    expect(problemWith(ROOT, readme, "#two-commands")).toBeNull();
  });
  it("reads inline, reference and HTML links, not code", () => {
    const text = [
      "See [a](docs/a.md) and ![b](b.png 'x') and [c][1].",
      "[1]: <docs/c.md>",
      '<a href="d.md">d</a>',
      "`[not](a-link.md)`",
      "```",
      "[nor](this.md)",
      "```",
    ].join("\n");
    expect(linkTargets(text).sort()).toEqual(["b.png", "d.md", "docs/a.md", "docs/c.md"]);
  });
  it("makes GitHub's anchors", () => {
    expect(slug("The REST API (`/v2`)")).toBe("the-rest-api-v2");
    expect(slug("Tokens, configuration, several instances")).toBe(
      "tokens-configuration-several-instances",
    );
  });
});

describe("every Markdown file in the repo", () => {
  const files = markdownFiles(ROOT);

  it("includes the README and the handbook", () => {
    const names = files.map((f) => path.relative(ROOT, f));
    expect(names).toEqual(expect.arrayContaining(["README.md", "docs/README.md", "docs/api.md"]));
  });

  it("links only to files and headings inside the repo that exist", () => {
    const problems = files.flatMap((file) =>
      linkTargets(readFileSync(file, "utf8")).flatMap((target) => {
        const problem = problemWith(ROOT, file, target);
        return problem ? [`${path.relative(ROOT, file)}: ${problem}`] : [];
      }),
    );
    expect(problems).toEqual([]);
  });
});
