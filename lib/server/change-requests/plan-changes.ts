// A change request's changes decided against the database as it is: per change, the upsert's read and decision
// (readDecision, the same as a PUT's) and what is effective now, turned into its impact; and the hash of them all.
// Statements grow with the number of changes (at most 3 each, plus one per domain), never with the number of services.
import "server-only";
import { createHash } from "node:crypto";
import type { Query } from "@/db/types";
import { canonicalJson, changeImpact } from "@/lib/features/change-impact";
import type { EffectiveEntry } from "@/lib/features/contracts-after-change";
import type { PlannedPin, UpsertTarget } from "@/lib/features/decide-upsert";
import { runOnQuery } from "@/db/statement";
import { readEffectiveEntries } from "@/lib/server/assignments/effective-contracts";
import {
  contextStatement,
  readDecision,
  type UpsertContext,
} from "@/lib/server/assignments/plan-upsert";
import { type assignmentPutBody } from "@/lib/schemas/assignments";
import type { ChangeImpact, StoredChange } from "@/lib/schemas/change-requests";
import type { z } from "zod";

/** A change as the request holds it before its impact is known: the body parsed, the base an assignment id. */
export type ChangeSpec = {
  domain_id: string;
  service_id: string | null;
  assignment_key: string;
  body: z.infer<typeof assignmentPutBody>;
  /** The base revision the author named (If-Match), or null: the active one. */
  if_match: string | null;
};

/** `"<uuid>"`, `W/"<uuid>"` or `<uuid>` → the assignment id. */
export function baseRevisionOf(ifMatch: string | undefined | null): string | null {
  if (ifMatch === undefined || ifMatch === null) return null;
  return ifMatch.trim().replace(/^W\//, "").replace(/^"|"$/g, "");
}

/** The target of a change, as the upsert takes it. */
export function targetOf(clientId: string, change: ChangeSpec): UpsertTarget {
  const { assignment_key: _key, ...body } = change.body;
  return {
    clientId,
    domainId: change.domain_id,
    serviceId: change.service_id,
    key: change.assignment_key,
    body,
  };
}

export type PlannedChange = {
  spec: ChangeSpec;
  stored: StoredChange;
  /** The read the decision came from (the apply writes from it). */
  active: { assignment_id: string; revision: number } | null;
  latest: { revision: number } | null;
  patches: { id: string; before: Record<string, unknown>; after: Record<string, unknown> }[];
  /** The services a domain default change pins (pin_services), written with it. */
  pins: PlannedPin[];
};

/** Decides every change against the database now, inside the caller's transaction. */
export async function planChanges(
  q: Query,
  clientId: string,
  specs: readonly ChangeSpec[],
): Promise<PlannedChange[]> {
  // What is effective now, read once per domain for every change in it: its domain defaults, and the own
  // assignments of the services the request's changes name.
  const run = runOnQuery(q);
  const byDomain = new Map<string, Set<string>>();
  for (const spec of specs) {
    const ids = byDomain.get(spec.domain_id) ?? new Set<string>();
    if (spec.service_id !== null) ids.add(spec.service_id);
    byDomain.set(spec.domain_id, ids);
  }
  const effective = new Map<string, EffectiveEntry[]>();
  for (const [domainId, ids] of byDomain)
    effective.set(domainId, await readEffectiveEntries(run, clientId, domainId, [...ids]));

  const planned: PlannedChange[] = [];
  for (const spec of specs) {
    const target = targetOf(clientId, spec);
    const [context] = await run<UpsertContext>(contextStatement(target));
    const { decision } = await readDecision(run, target, { context });
    const entries =
      decision.kind === "refusal"
        ? []
        : (effective.get(spec.domain_id) ?? []).filter(
            (e) => e.scope === "" || e.scope === spec.service_id,
          );
    const impact = changeImpact(target, {
      decision,
      active: context?.active ?? null,
      entries,
      contract: context?.contract ?? null,
    });
    planned.push({
      spec,
      stored: {
        domain_id: spec.domain_id,
        service_id: spec.service_id,
        assignment_key: spec.assignment_key,
        body: spec.body as Record<string, unknown>,
        if_match: spec.if_match ?? impact.base_assignment_id,
        impact,
      },
      active: context?.active ?? null,
      latest: context?.latest ?? null,
      patches: decision.kind === "decision" ? decision.patches : [],
      pins: decision.kind === "decision" ? decision.pins : [],
    });
  }
  return planned;
}

/** SHA-256 (hex) of the changes and their impact in canonical JSON: what a review approves. */
export function impactHash(changes: readonly StoredChange[]): string {
  return createHash("sha256").update(canonicalJson(changes)).digest("hex");
}

/** The impacts of stored changes, in order. */
export function impactsOf(changes: readonly StoredChange[]): ChangeImpact[] {
  return changes.map((c) => c.impact);
}
