// A change request's changes decided against the database as it is: per change, the upsert's read and decision
// (readDecision, the same as a PUT's) and what is effective now, turned into its impact; and the hash of them all.
// Its reads are at most three statements whatever the number of changes or services.
import "server-only";
import { createHash } from "node:crypto";
import type { Query } from "@/db/types";
import { canonicalJson, changeImpact } from "@/lib/features/change-impact";
import {
  decideUpsert,
  refuseUpsert,
  upsertReads,
  type DomainService,
  type PlannedPin,
  type UpsertTarget,
} from "@/lib/features/decide-upsert";
import { runOnQuery } from "@/db/statement";
import { readEffectiveEntriesOfDomains } from "@/lib/server/assignments/effective-contracts";
import {
  contextsStatement,
  domainServicesOfStatement,
  type KeyedDomainService,
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

/**
 * Decides every change against the database now, inside the caller's transaction. Reads in at most three
 * statements whatever the number of changes: every change's context row (what a PUT reads first), the effective
 * entries of every domain the changes touch, and the services of the domains whose defaults change. Then each
 * change is decided exactly as a PUT would (`decideUpsert`, pure).
 */
export async function planChanges(
  q: Query,
  clientId: string,
  specs: readonly ChangeSpec[],
): Promise<PlannedChange[]> {
  const run = runOnQuery(q);
  const targets = specs.map((spec) => targetOf(clientId, spec));
  const contexts =
    targets.length === 0 ? [] : await run<UpsertContext>(contextsStatement(clientId, targets));
  if (contexts.length !== targets.length) throw new Error("context rows do not match the changes");

  // What the decisions read beyond their context (as `upsertReads` asks: entries of some services, a domain's
  // services), and what the impacts read (the domain defaults and the changes' services' own assignments).
  const reads = targets.map((target, i) =>
    refuseUpsert(target, contexts[i]!) ? null : upsertReads(target),
  );
  const idsByDomain = new Map<string, Set<string>>();
  const pairs = new Map<string, { domain_id: string; key: string }>();
  specs.forEach((spec, i) => {
    const ids = idsByDomain.get(spec.domain_id) ?? new Set<string>();
    if (spec.service_id !== null) ids.add(spec.service_id);
    for (const id of reads[i]?.entriesOf ?? []) ids.add(id);
    idsByDomain.set(spec.domain_id, ids);
    if (reads[i]?.domainServices)
      pairs.set(JSON.stringify([spec.domain_id, spec.assignment_key]), {
        domain_id: spec.domain_id,
        key: spec.assignment_key,
      });
  });
  const effective = await readEffectiveEntriesOfDomains(
    run,
    clientId,
    new Map([...idsByDomain].map(([d, ids]) => [d, [...ids]])),
  );
  const servicesOf = new Map<string, DomainService[]>();
  if (pairs.size > 0)
    for (const { domain_id, key, ...service } of await run<KeyedDomainService>(
      domainServicesOfStatement(clientId, [...pairs.values()]),
    )) {
      const k = JSON.stringify([domain_id, key]);
      const list = servicesOf.get(k);
      if (list) list.push(service);
      else servicesOf.set(k, [service]);
    }

  return specs.map((spec, i) => {
    const target = targets[i]!;
    const context = contexts[i]!;
    const domainEntries = effective.get(spec.domain_id) ?? [];
    const entriesOf = reads[i]?.entriesOf ?? null;
    const decision = decideUpsert(target, {
      ...context,
      // Exactly what readEffectiveEntries(entriesOf) would return for this change alone.
      entries: entriesOf
        ? domainEntries.filter((e) => e.scope === "" || entriesOf.includes(e.scope))
        : [],
      services: reads[i]?.domainServices
        ? (servicesOf.get(JSON.stringify([spec.domain_id, spec.assignment_key])) ?? [])
        : [],
    });
    const entries =
      decision.kind === "refusal"
        ? []
        : domainEntries.filter((e) => e.scope === "" || e.scope === spec.service_id);
    const impact = changeImpact(target, {
      decision,
      active: context.active ?? null,
      entries,
      contract: context.contract ?? null,
    });
    return {
      spec,
      stored: {
        domain_id: spec.domain_id,
        service_id: spec.service_id,
        assignment_key: spec.assignment_key,
        body: spec.body as Record<string, unknown>,
        if_match: spec.if_match ?? impact.base_assignment_id,
        impact,
      },
      active: context.active ?? null,
      latest: context.latest ?? null,
      patches: decision.kind === "decision" ? decision.patches : [],
      pins: decision.kind === "decision" ? decision.pins : [],
    };
  });
}

/** SHA-256 (hex) of the changes and their impact in canonical JSON: what a review approves. */
export function impactHash(changes: readonly StoredChange[]): string {
  return createHash("sha256").update(canonicalJson(changes)).digest("hex");
}

/** The impacts of stored changes, in order. */
export function impactsOf(changes: readonly StoredChange[]): ChangeImpact[] {
  return changes.map((c) => c.impact);
}
