// A change request's impact, pure: from the upsert's decision (decideUpsert) and what is effective now, which
// services move from what to what, which would block, the contract diff, and the service patches. The same read
// gives the same impact, so the impact stored at open (and approved) can be compared with the one found at apply.
// `canonicalJson` is the form its hash is taken over (keys sorted, no whitespace).
import type { ChangeImpact } from "@/lib/schemas/change-requests";
import { diffContracts } from "./contract-diff";
import type { EffectiveEntry } from "./contracts-after-change";
import type { RevisionFacts, UpsertDecision, UpsertRefusal, UpsertTarget } from "./decide-upsert";
import type { FeatureDefinition } from "./types";

export type ImpactInputs = {
  decision: UpsertDecision | UpsertRefusal;
  /** The scope's active revision (the change's base), when the context row was read. */
  active: RevisionFacts | null;
  /** Active entries of the domain now: its domain defaults, and the target service's own (service changes). */
  entries: readonly EffectiveEntry[];
  /** The new version's contract (null when the decision refused before finding it). */
  contract: readonly FeatureDefinition[] | null;
};

type ModelRef = NonNullable<ChangeImpact["moves"][number]["from"]>;

const refKey = (ref: ModelRef | null) =>
  ref === null ? "" : `${ref.source}|${ref.model_id}|${ref.model_version}`;
const sameModel = (a: ModelRef | null, b: ModelRef | null) =>
  a === null || b === null
    ? a === b
    : a.model_id === b.model_id && a.model_version === b.model_version;

/** The impact of one change: what a reviewer approves. */
export function changeImpact(target: UpsertTarget, inputs: ImpactInputs): ChangeImpact {
  const { decision, active, entries, contract } = inputs;
  const base = active?.assignment_id ?? null;
  if (decision.kind === "refusal") {
    return {
      base_assignment_id: base,
      moves: [],
      blocking_services: [],
      contract_diff: null,
      service_updates: [],
      refusal: { status: decision.status, message: decision.message },
      unchanged: false,
    };
  }
  const { serviceId, key, body } = target;
  const activating = body.status === "active";
  const dflt = entries.find((e) => e.scope === "" && e.assignment_key === key) ?? null;
  const own =
    serviceId === null
      ? null
      : (entries.find((e) => e.scope === serviceId && e.assignment_key === key) ?? null);
  const asRef = (e: EffectiveEntry | null, source: ModelRef["source"]): ModelRef | null =>
    e && { model_id: e.model_id, model_version: e.model_version, source };

  // What is effective for the change's services now, and after it.
  const current: EffectiveEntry | null = serviceId === null ? dflt : (own ?? dflt);
  const currentRef =
    serviceId === null
      ? asRef(dflt, "domain_default")
      : (asRef(own, "service") ?? asRef(dflt, "domain_default"));
  const next: ModelRef | null = activating
    ? {
        model_id: body.model_id,
        model_version: body.model_version,
        source: serviceId === null ? "domain_default" : "service",
      }
    : serviceId === null
      ? null
      : asRef(dflt, "domain_default");

  const groups = new Map<string, ChangeImpact["moves"][number]>();
  const move = (from: ModelRef | null, to: ModelRef | null, id: string) => {
    if (sameModel(from, to)) return;
    const k = `${refKey(from)}>${refKey(to)}`;
    const group = groups.get(k) ?? { from, to, service_ids: [] };
    group.service_ids.push(id);
    groups.set(k, group);
  };
  if (serviceId === null) {
    for (const c of decision.changes) {
      const from = c.from && {
        model_id: c.from.model_id,
        model_version: c.from.model_version,
        source: c.from.source,
      };
      const to = c.to && {
        model_id: c.to.model_id,
        model_version: c.to.model_version,
        source: c.to.source,
      };
      move(from, to, c.service_id);
    }
  } else {
    move(currentRef, next, serviceId);
  }

  const diffFrom = current && (activating ? current : null);
  const contractDiff =
    diffFrom && activating && contract
      ? {
          model_id: body.model_id,
          from: `${diffFrom.model_id}@${diffFrom.model_version}`,
          to: `${body.model_id}@${body.model_version}`,
          ...diffContracts(diffFrom.features, contract),
        }
      : null;

  return {
    base_assignment_id: base,
    moves: [...groups.values()],
    blocking_services: decision.blocking,
    contract_diff: contractDiff,
    service_updates: decision.patches.map((p) => ({
      service_id: p.id,
      before: p.before,
      after: p.after,
    })),
    refusal: null,
    unchanged: decision.unchanged,
  };
}

/** JSON with object keys sorted at every depth and no whitespace: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    // undefined (absent) is not JSON: it is left out of objects and written null in arrays, as JSON.stringify does.
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
