// The blocking services of a domain change, grouped by what they lack or have wrong ("1,429 miss `route`",
// "12 have a non-boolean `night_service`"), so a person can fix a whole group at once instead of one form per
// service. Built from the fixes the editor keeps (every service ever reported as blocking the target, with what
// was typed), so a group keeps its services as they get fixed and each one can be undone.
import { formatCount } from "@/lib/shared/format-count";
import type { FieldCheck, ServiceFix } from "./service-repairs";

export type BlockerGroup = {
  /** `missing:route`, `invalid:night_service`. */
  id: string;
  key: string;
  kind: "missing" | "invalid";
  /** "1,429 miss `route`". */
  label: string;
  /** The expected type, for an invalid group ("boolean", "one of bus, tram"). */
  expected: string | null;
  /** The group's services, each with its field for this feature, in the order they were reported. */
  rows: { serviceId: string; field: FieldCheck }[];
  /** How many of them have a valid value typed. */
  filled: number;
};

function groupLabel(kind: "missing" | "invalid", key: string, n: number, expected: string | null) {
  const count = formatCount(n);
  if (kind === "missing") return `${count} ${n === 1 ? "misses" : "miss"} \`${key}\``;
  const what = expected && /^[a-z]+$/.test(expected) ? `a non-${expected}` : "an invalid";
  return `${count} ${n === 1 ? "has" : "have"} ${what} \`${key}\``;
}

/** Groups by feature and problem (a service lacking two features is in two groups); largest groups first. */
export function groupBlockers(fixes: readonly ServiceFix[]): BlockerGroup[] {
  const groups = new Map<string, Omit<BlockerGroup, "label" | "filled">>();
  for (const fix of fixes) {
    for (const field of fix.fields) {
      const kind = field.problem.kind;
      const id = `${kind}:${field.key}`;
      let group = groups.get(id);
      if (!group) {
        group = {
          id,
          key: field.key,
          kind,
          expected: field.problem.kind === "invalid" ? field.problem.expected : null,
          rows: [],
        };
        groups.set(id, group);
      }
      group.rows.push({ serviceId: fix.serviceId, field });
    }
  }
  return [...groups.values()]
    .map((g) => ({
      ...g,
      label: groupLabel(g.kind, g.key, g.rows.length, g.expected),
      filled: g.rows.filter((r) => r.field.parsed !== null).length,
    }))
    .sort((a, b) => b.rows.length - a.rows.length || a.id.localeCompare(b.id));
}

/** The rows of a group whose service id contains the search (case-insensitive). */
export function searchGroup(group: BlockerGroup, search: string): BlockerGroup["rows"] {
  const q = search.trim().toLowerCase();
  return q ? group.rows.filter((r) => r.serviceId.toLowerCase().includes(q)) : group.rows;
}
