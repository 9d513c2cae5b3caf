// An example request body (for operations that take one) and success response for every /v2 operation, keyed by
// operationId, drawn from the demo data so that they can be tried as they are against a fresh `npm start`.
// document.test.ts fails when an operation has none, or when an example does not validate against its zod schema.

import "server-only";
import { contractHash } from "@/db/contract-hash";
import { API_VERSION, APP_VERSION } from "@/lib/shared/version";

type OperationExamples = {
  /** The request body (operations that take one). */
  request?: unknown;
  /** The success response (an operation's only success status, or every one without its own in `responses`). */
  response?: unknown;
  /** Per success status, where an operation answers more than one (e.g. 200 and 201). */
  responses?: Partial<Record<number, unknown>>;
};

export function responseExample(examples: OperationExamples | undefined, status: number): unknown {
  return examples?.responses?.[status] ?? examples?.response;
}

const AT = "2026-11-30T05:29:20.889Z";
const LATER = "2026-11-30T06:02:11.417Z";

const DEFAULT_V1 = {
  assignment_id: "a56961df-308a-4605-ab2a-6e5edb4a8fb4",
  client_id: "client-1",
  domain_id: "south_australia",
  service_id: null,
  assignment_key: "default",
  revision: 1,
  model_id: "example-model",
  model_version: "1.0.0",
  status: "active",
  role: null,
  settings: {},
  metadata: { seeded: true },
  created_by: "system:demo-seed",
  change_reason: null,
  created_at: AT,
  updated_at: AT,
  restored_from_revision: null,
  pinned_by: null,
};

const DEFAULT_V2 = {
  ...DEFAULT_V1,
  assignment_id: "0b4f6d2e-8c1a-4e3b-9f7d-5a2c6e8b1d43",
  revision: 2,
  model_version: "2.0.0",
  metadata: {},
  created_by: "deploy-pipeline",
  created_at: LATER,
  updated_at: LATER,
};

// The first revision once the second archived it, as a revision read answers it.
const DEFAULT_V1_ARCHIVED = {
  ...DEFAULT_V1,
  status: "archived",
  updated_at: LATER,
  service_changes: [],
  pinned_services: [],
  change_request_id: null,
  approval_bypass: null,
};

// The service assignment a domain default's change wrote to keep svc-003 on 1.0.0 (pin_services).
const PIN_OF_SVC_003 = "5d2a7f4c-1e8b-4c3d-a6f9-0b7e2c4d8a15";

const SERVICE_OVERRIDE = {
  ...DEFAULT_V1,
  assignment_id: "3f0c2a9e-6b1d-4c8e-9a57-2d4b8e1f0c6a",
  service_id: "service-1",
  revision: 2,
  model_version: "2.0.0",
  role: "primary",
  settings: { horizon_minutes: 60 },
  metadata: { ticket: "OPS-1234" },
  created_by: "deploy-pipeline",
  created_at: LATER,
  updated_at: LATER,
};

const ETA_DEFAULT = {
  ...DEFAULT_V1,
  assignment_id: "fc8b606f-de77-4355-a1a6-299e1be14596",
  assignment_key: "eta",
  model_id: "eta-model",
};

const SERVICE_1 = {
  client_id: "client-1",
  domain_id: "south_australia",
  service_id: "service-1",
  name: "Adelaide Metro North",
  provided_features: { mode: "bus", route: "route-b", stops: 12 },
  status: "active",
  created_at: AT,
  updated_at: AT,
};

const SVC_001 = {
  ...SERVICE_1,
  service_id: "svc-001",
  name: "Glenelg Tram",
  provided_features: { mode: "tram" },
};

const DOMAIN = {
  client_id: "client-1",
  domain_id: "south_australia",
  name: "South Australia",
  status: "active",
  service_count: 9,
  change_policy: null,
  created_at: AT,
  updated_at: AT,
};

const CLIENT = {
  client_id: "client-1",
  name: "Client One (demo)",
  require_change_reason: false,
  stale_after: 600,
  change_policy: { required_approvals: 1, allow_self_approval: false },
  created_at: AT,
};

const MODEL = {
  model_id: "example-model",
  name: "Example model",
  description: "Demand forecasting per service",
  versions: ["1.0.0", "2.0.0"],
  created_by: "system:demo-seed",
  created_at: AT,
};

const ROUTE_FEATURE = {
  key: "route",
  type: "string",
  required: true,
  description: "The route the service runs; 2.0.0 needs it to learn per-route patterns",
};
const MODE_FEATURE = {
  key: "mode",
  type: "enum",
  required: true,
  default: "bus",
  allowed_values: ["bus", "tram", "train", "ferry"],
  description: "Transport mode",
};

const MODE_FEATURE_V1 = {
  key: "mode",
  type: "enum",
  required: false,
  allowed_values: ["bus", "tram", "train", "ferry"],
  description: "Transport mode",
};

const VERSION_2 = {
  model_id: "example-model",
  version: "2.0.0",
  description: "Per-route patterns; needs `route`",
  features: [
    ROUTE_FEATURE,
    {
      key: "stops",
      type: "integer",
      required: false,
      default: 10,
      description: "How many stops the service plans ahead",
    },
    MODE_FEATURE,
    {
      key: "night_service",
      type: "boolean",
      required: false,
      description: "Runs between midnight and 5am",
    },
  ],
  created_by: "system:demo-seed",
  created_at: AT,
};
Object.assign(VERSION_2, { contract_hash: contractHash(VERSION_2.features) });
const V1_FEATURES = [MODE_FEATURE_V1];
// The version the createModelVersion example registers.
const VERSION_3_BODY = {
  version: "3.0.0",
  description: "Adds a crowding signal",
  features: [
    ROUTE_FEATURE,
    MODE_FEATURE,
    { key: "capacity", type: "integer", required: false, default: 60 },
  ],
};
const V1_HASH = contractHash(V1_FEATURES);
const V2_HASH = contractHash(VERSION_2.features);

const USER = {
  id: "8d2f4b1a-3c5e-4f7a-9b0c-1e2d3f4a5b6c",
  email: "ana@example.com",
  name: "Ana",
  role: "editor",
  disabled: false,
  must_change_password: false,
  single_sign_on: false,
  clients: null,
  single_sign_on_identity: null,
  single_sign_on_link_allowed: false,
  created_at: AT,
  updated_at: AT,
};

const TOKEN = {
  id: "5a7c9e1b-2d4f-4a6b-8c0d-9e1f2a3b4c5d",
  name: "deploy pipeline",
  subject: "deploy-pipeline",
  scopes: ["assignments:read", "assignments:write"],
  clients: ["client-1"],
  created_by: "user:admin@localhost",
  owner_user_id: "13922a31-1a33-4a3a-847d-60380563c982",
  parent_token_id: null,
  created_at: AT,
  expires_at: "2027-02-28T05:29:20.889Z",
  revoked_at: null,
  last_used_at: "2026-11-30T06:00:02.031Z",
  adopted_at: null,
};

const MOVE_TO_V2 = { model_id: "example-model", model_version: "2.0.0" };
const MOVE_TO_V2_WITH_FIXES = {
  ...MOVE_TO_V2,
  service_updates: [
    { service_id: "svc-001", static_features: { route: "route-a" } },
    { service_id: "svc-003", static_features: { route: "route-c" } },
    { service_id: "svc-006", static_features: { route: "route-f", night_service: true } },
  ],
};
const OVERRIDE_BODY = {
  model_id: "example-model",
  model_version: "2.0.0",
  role: "primary",
  settings: { horizon_minutes: 60 },
  metadata: { ticket: "OPS-1234" },
};

const page = (items: unknown[], next_cursor: string | null = null) => ({ items, next_cursor });
const ref = (row: typeof DEFAULT_V1) => ({
  assignment_id: row.assignment_id,
  source: "domain_default",
  model_id: row.model_id,
  model_version: row.model_version,
});

const WEBHOOK = {
  id: "0b6e2f4a-8c1d-4e3f-9a5b-7c2d1e0f9a8b",
  client_id: "client-1",
  url: "https://hooks.example.com/model-console",
  events: ["assignment", "service"],
  description: "deploy bot",
  created_by: "user:admin@localhost",
  created_at: AT,
};

const CR_ID = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const CR_HASH = "9f2b6c1e0d4a7b3c8e5f1a2d6b9c0e4f7a3d8b2c5e1f9a6d0b4c7e2f8a1d5b3c";
const CR_OPEN = {
  title: "Move South Australia to 2.0.0",
  description: "Per-route patterns; routes filled in for the three services that lacked one",
  changes: [
    { domain_id: "south_australia", assignment_key: "default", body: MOVE_TO_V2_WITH_FIXES },
  ],
};
const CR_CHANGE = {
  domain_id: "south_australia",
  service_id: null,
  assignment_key: "default",
  body: { ...MOVE_TO_V2_WITH_FIXES, status: "active", settings: {}, metadata: {} },
  if_match: DEFAULT_V1.assignment_id,
  impact: {
    base_assignment_id: DEFAULT_V1.assignment_id,
    moves: [
      {
        from: { model_id: "example-model", model_version: "1.0.0", source: "domain_default" },
        to: { model_id: "example-model", model_version: "2.0.0", source: "domain_default" },
        service_ids: ["service-1", "svc-001", "svc-003", "svc-004", "svc-005", "svc-006"],
      },
    ],
    blocking_services: [],
    contract_diff: {
      model_id: "example-model",
      from: "example-model@1.0.0",
      to: "example-model@2.0.0",
      breaking: true,
      changes: [
        {
          key: "route",
          change: "added",
          from: null,
          to: { key: "route", type: "string", required: true },
          impact: "breaking",
          reason: 'feature "route" was added as required; services without it fail',
        },
      ],
    },
    service_updates: [
      {
        service_id: "svc-001",
        before: { mode: "tram" },
        after: { mode: "tram", route: "route-a" },
      },
    ],
    refusal: null,
    unchanged: false,
  },
};
const CHANGE_REQUEST = {
  id: CR_ID,
  client_id: "client-1",
  number: 1,
  title: CR_OPEN.title,
  description: CR_OPEN.description,
  status: "open",
  author: "user:alice@example.com",
  created_at: AT,
  updated_at: AT,
  apply_at: null,
  domain_ids: ["south_australia"],
  required_approvals: 1,
  allow_self_approval: false,
  approvals: 0,
  blocked: false,
  impact_hash: CR_HASH,
  status_reason: null,
  approved_impact: null,
  applied_at: null,
  applied_by: null,
  changes: [CR_CHANGE],
  reviews: [],
};
const CR_REVIEW = {
  id: "1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6",
  reviewer: "user:bob@example.com",
  decision: "approve",
  comment: "Routes checked against the timetable",
  impact_hash: CR_HASH,
  at: LATER,
  counts: true,
};
const CR_APPROVED = { ...CHANGE_REQUEST, status: "approved", approvals: 1, reviews: [CR_REVIEW] };
const {
  changes: _changes,
  reviews: _reviews,
  approved_impact: _approved,
  ...CR_SUMMARY
} = CHANGE_REQUEST;

const DELIVERY = {
  id: "e4c3b2a1-0f9e-4d8c-b7a6-5f4e3d2c1b0a",
  domain_id: "south_australia",
  cursor: "42",
  status: "succeeded",
  attempt: 1,
  response_code: 200,
  error: null,
  next_retry_at: null,
  last_attempt_at: LATER,
  created_at: LATER,
};

const ROLLOUT_ID = "2a4c6e8f-1b3d-4f5a-8c7e-9d0b2f4a6c8e";
const ROLLOUT_BODY = {
  name: "default to 2.0.0",
  assignment_key: "default",
  model_id: "example-model",
  model_version: "2.0.0",
  waves: [
    {
      name: "canary",
      targets: [{ client_id: "client-1", domain_id: "south_australia" }],
      gate: { min_synced_percent: 95, wait_seconds: 600 },
    },
    {
      name: "rest",
      targets: [{ client_id: "client-2", domain_id: "tasmania" }],
      gate: { manual: true },
    },
  ],
  service_updates: [
    {
      client_id: "client-1",
      domain_id: "south_australia",
      service_id: "svc-001",
      static_features: { route: "route-a" },
    },
  ],
};
const ROLLOUT_PREVIEW = {
  blocked: false,
  waves: [
    {
      position: 1,
      name: "canary",
      affected_count: 2,
      blocking_count: 0,
      domains: [
        {
          client_id: "client-1",
          domain_id: "south_australia",
          base_assignment_id: "3f0c2a9e-6b1d-4c8e-9a57-2d4b8e1f0c6a",
          from: [{ model_id: "example-model", model_version: "1.0.0" }],
          affected_services: ["service-1", "svc-001"],
          blocking_services: [],
          unchanged: false,
        },
      ],
    },
    {
      position: 2,
      name: "rest",
      affected_count: 0,
      blocking_count: 0,
      domains: [
        {
          client_id: "client-2",
          domain_id: "tasmania",
          base_assignment_id: "8b1e4d7a-2c5f-4a9e-b3d6-7f0a1c4e9b2d",
          from: [],
          affected_services: [],
          blocking_services: [],
          unchanged: true,
        },
      ],
    },
  ],
};
const ROLLOUT_SYNC = {
  total: 8,
  synced: 6,
  out_of_sync: 2,
  contract_mismatch: 0,
  failed: 0,
  unknown: 0,
  synced_percent: 75,
};
/** A wave of ROLLOUT_BODY as the rollout answers it, up to its change requests. */
const wave = (index: number, name: string, status: string) => ({
  position: index + 1,
  name,
  targets: ROLLOUT_BODY.waves[index]!.targets,
  gate: ROLLOUT_BODY.waves[index]!.gate,
  status,
  status_reason: null,
});
const ROLLOUT = {
  id: ROLLOUT_ID,
  name: "default to 2.0.0",
  assignment_key: "default",
  model_id: "example-model",
  model_version: "2.0.0",
  status: "running",
  status_reason: null,
  current_wave: 1,
  next_check_at: LATER,
  client_ids: ["client-1", "client-2"],
  created_by: "admin@localhost",
  created_at: AT,
  updated_at: AT,
  waves: [
    {
      ...wave(0, "canary", "applied"),
      change_requests: [{ client_id: "client-1", id: CR_ID, number: 1 }],
      previous: [
        {
          client_id: "client-1",
          domain_id: "south_australia",
          assignment_id: "3f0c2a9e-6b1d-4c8e-9a57-2d4b8e1f0c6a",
        },
      ],
      applied_at: AT,
      completed_at: null,
      promoted_by: null,
      sync: ROLLOUT_SYNC,
    },
    {
      ...wave(1, "rest", "pending"),
      change_requests: [],
      previous: [],
      applied_at: null,
      completed_at: null,
      promoted_by: null,
      sync: null,
    },
  ],
};
const { waves: _rolloutWaves, ...ROLLOUT_FIELDS } = ROLLOUT;

export const EXAMPLES: Record<string, OperationExamples> = {
  // Service assignments
  listServiceAssignments: { response: page([SERVICE_OVERRIDE]) },
  createServiceAssignment: {
    request: { assignment_key: "default", ...OVERRIDE_BODY },
    response: { ...SERVICE_OVERRIDE, revision: 1 },
  },
  getServiceAssignment: { response: SERVICE_OVERRIDE },
  // The request example is the seed page's (routes.ts SEED_EXAMPLE): it patches the service's own route.
  upsertServiceAssignment: {
    response: { ...SERVICE_OVERRIDE, role: null, settings: {}, metadata: {} },
  },
  listRevisionsOfServiceAssignment: {
    response: page([
      {
        ...SERVICE_OVERRIDE,
        service_changes: [],
        pinned_services: [],
        change_request_id: null,
        approval_bypass: null,
      },
      {
        ...SERVICE_OVERRIDE,
        assignment_id: "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a",
        revision: 1,
        model_version: "1.0.0",
        status: "archived",
        created_at: AT,
        service_changes: [],
        pinned_services: [],
        change_request_id: null,
        approval_bypass: null,
      },
    ]),
  },
  getEffectiveAssignment: {
    response: { ...DEFAULT_V1, source: "domain_default", contract_hash: V1_HASH },
  },
  listDomainEffectiveAssignments: {
    response: page([
      {
        service_id: "service-1",
        source: "domain_default",
        assignment: DEFAULT_V1,
        contract_hash: V1_HASH,
      },
      {
        service_id: "svc-001",
        source: "domain_default",
        assignment: DEFAULT_V1,
        contract_hash: V1_HASH,
      },
      {
        service_id: "svc-002",
        source: "service",
        assignment: SERVICE_OVERRIDE,
        contract_hash: V2_HASH,
      },
    ]),
  },
  listDomainChanges: {
    response: {
      items: [
        {
          cursor: "41",
          at: LATER,
          kind: "assignment",
          action: "upsert",
          assignment_key: "default",
          assignment_id: DEFAULT_V2.assignment_id,
          actor: "deploy-bot",
        },
        {
          cursor: "42",
          at: LATER,
          kind: "service",
          action: "patch",
          service_id: "svc-001",
          actor: "alice@example.com",
        },
        {
          cursor: "43",
          at: LATER,
          kind: "service",
          action: "sync_changed",
          assignment_key: "default",
          service_id: "svc-001",
          actor: "token:fleet-reporter",
          sync: "synced",
          previous_sync: "out_of_sync",
        },
      ],
      next_cursor: "42",
    },
  },

  // Domain default assignments
  listDomainDefaultAssignments: { response: page([DEFAULT_V1, ETA_DEFAULT]) },
  createDomainDefaultAssignment: {
    request: { assignment_key: "anomaly", model_id: "eta-model", model_version: "1.0.0" },
    response: {
      ...ETA_DEFAULT,
      assignment_id: "7c1e3a5b-9d2f-4b6a-8e0c-1a3b5c7d9e2f",
      assignment_key: "anomaly",
      metadata: {},
      created_by: "deploy-pipeline",
      pinned: [],
    },
  },
  getDomainDefaultAssignment: { response: DEFAULT_V1 },
  upsertDomainDefaultAssignment: {
    // svc-001 and svc-006 are fixed and move; svc-003 stays on 1.0.0 until its route is known.
    request: {
      ...MOVE_TO_V2,
      service_updates: MOVE_TO_V2_WITH_FIXES.service_updates.filter(
        (u) => u.service_id !== "svc-003",
      ),
      pin_services: ["svc-003"],
    },
    response: {
      ...DEFAULT_V2,
      pinned: [
        {
          service_id: "svc-003",
          assignment_id: PIN_OF_SVC_003,
          model_id: "example-model",
          model_version: "1.0.0",
        },
      ],
    },
  },
  listRevisionsOfDomainDefaultAssignment: {
    response: page([
      {
        ...DEFAULT_V2,
        service_changes: [
          {
            service_id: "svc-001",
            before: { mode: "tram" },
            after: { mode: "tram", route: "route-a" },
          },
        ],
        pinned_services: [
          {
            service_id: "svc-003",
            assignment_id: PIN_OF_SVC_003,
            model_id: "example-model",
            model_version: "1.0.0",
          },
        ],
        change_request_id: null,
        approval_bypass: null,
      },
      DEFAULT_V1_ARCHIVED,
    ]),
  },
  previewDomainDefaultAssignment: {
    request: MOVE_TO_V2,
    response: {
      compatible: false,
      blocking_services: [{ service_id: "svc-001", missing: ["route"], invalid: [] }],
      pinned: [],
      changes: [
        {
          service_id: "service-1",
          from: ref(DEFAULT_V1),
          to: { ...ref(DEFAULT_V1), assignment_id: null, model_version: "2.0.0" },
          compatible: true,
          missing: [],
          invalid: [],
        },
        {
          service_id: "svc-001",
          from: ref(DEFAULT_V1),
          to: { ...ref(DEFAULT_V1), assignment_id: null, model_version: "2.0.0" },
          compatible: false,
          missing: ["route"],
          invalid: [],
        },
      ],
    },
  },

  // Assignments
  getAssignmentRevision: { response: DEFAULT_V1_ARCHIVED },
  listAssignmentKeys: {
    response: {
      items: [
        { assignment_key: "default", domain_default: DEFAULT_V1, override_count: 1 },
        { assignment_key: "eta", domain_default: ETA_DEFAULT, override_count: 0 },
      ],
    },
  },

  // Observed state
  reportObservation: {
    request: {
      assignment_id: DEFAULT_V1.assignment_id,
      model_id: "example-model",
      model_version: "1.0.0",
      contract_hash: V1_HASH,
      state: "loaded",
    },
    response: {
      service_id: "service-1",
      assignment_key: "default",
      sync: "synced",
      since: LATER,
      last_seen: LATER,
      previous_sync: "out_of_sync",
      changed: true,
    },
  },
  reportObservations: {
    request: {
      items: [
        {
          service_id: "service-1",
          assignment_key: "default",
          model_id: "example-model",
          model_version: "1.0.0",
          contract_hash: V1_HASH,
          state: "loaded",
        },
        {
          service_id: "svc-404",
          assignment_key: "default",
          model_id: "example-model",
          model_version: "1.0.0",
          state: "loaded",
        },
      ],
    },
    response: {
      accepted: 1,
      rejected: 1,
      results: [
        {
          index: 0,
          status: 200,
          service_id: "service-1",
          assignment_key: "default",
          result: {
            service_id: "service-1",
            assignment_key: "default",
            sync: "synced",
            since: AT,
            last_seen: LATER,
            previous_sync: "synced",
            changed: false,
          },
        },
        {
          index: 1,
          status: 404,
          service_id: "svc-404",
          assignment_key: "default",
          message: 'Service "svc-404" not found in domain "south_australia"',
        },
      ],
    },
  },
  getSyncStatus: {
    response: {
      assignment_key: "default",
      counts: {
        total: 2,
        synced: 1,
        out_of_sync: 0,
        contract_mismatch: 1,
        failed: 0,
        unknown: 0,
        synced_percent: 50,
      },
      items: [
        {
          service_id: "service-1",
          desired: {
            assignment_id: DEFAULT_V1.assignment_id,
            source: "domain_default",
            model_id: "example-model",
            model_version: "1.0.0",
            revision: 1,
            contract_hash: V1_HASH,
          },
          observed: {
            assignment_id: DEFAULT_V1.assignment_id,
            model_id: "example-model",
            model_version: "1.0.0",
            contract_hash: V1_HASH,
            state: "loaded",
            message: null,
            reported_at: LATER,
            reported_by: "token:fleet-reporter",
          },
          sync: "synced",
          since: AT,
          last_seen: LATER,
        },
        {
          service_id: "svc-002",
          desired: {
            assignment_id: SERVICE_OVERRIDE.assignment_id,
            source: "service",
            model_id: "example-model",
            model_version: "2.0.0",
            revision: 2,
            contract_hash: V2_HASH,
          },
          observed: {
            assignment_id: SERVICE_OVERRIDE.assignment_id,
            model_id: "example-model",
            model_version: "2.0.0",
            contract_hash: V1_HASH,
            state: "loaded",
            message: null,
            reported_at: LATER,
            reported_by: "token:fleet-reporter",
          },
          sync: "contract_mismatch",
          since: AT,
          last_seen: LATER,
        },
      ],
      next_cursor: null,
    },
  },

  // Tenancy
  listClients: {
    response: page([
      CLIENT,
      {
        client_id: "client-2",
        name: "Client Two (demo)",
        require_change_reason: false,
        stale_after: 600,
        change_policy: { required_approvals: 0, allow_self_approval: false },
        created_at: AT,
      },
    ]),
  },
  createClient: {
    request: { client_id: "client-3", name: "Client Three" },
    response: {
      client_id: "client-3",
      name: "Client Three",
      require_change_reason: false,
      stale_after: 600,
      change_policy: { required_approvals: 0, allow_self_approval: false },
      created_at: LATER,
    },
  },
  getClient: { response: CLIENT },
  patchClient: {
    request: { require_change_reason: true },
    response: { ...CLIENT, require_change_reason: true },
  },
  listDomains: {
    response: page([
      DOMAIN,
      { ...DOMAIN, domain_id: "victoria", name: "Victoria", status: "inactive", service_count: 1 },
    ]),
  },
  createDomain: {
    request: { domain_id: "new_south_wales", name: "New South Wales" },
    response: {
      ...DOMAIN,
      domain_id: "new_south_wales",
      name: "New South Wales",
      service_count: 0,
      created_at: LATER,
      updated_at: LATER,
    },
  },
  getDomain: { response: DOMAIN },
  patchDomain: {
    request: { status: "inactive" },
    response: { ...DOMAIN, status: "inactive", updated_at: LATER },
  },

  // Services
  listServices: {
    response: page(
      [
        {
          ...SERVICE_1,
          compatibility: { compatible: true, missing: [], invalid: [] },
          effective: {
            default: { ...ref(DEFAULT_V1), pinned_by: null },
            eta: { ...ref(ETA_DEFAULT), pinned_by: null },
          },
        },
        {
          ...SVC_001,
          compatibility: { compatible: false, missing: ["route"], invalid: [] },
          effective: {
            default: { ...ref(DEFAULT_V1), pinned_by: null },
            eta: { ...ref(ETA_DEFAULT), pinned_by: null },
          },
        },
      ],
      "WyJzdmMtMDAxIl0",
    ),
  },
  createService: {
    request: {
      service_id: "svc-010",
      name: "O-Bahn Busway",
      provided_features: { mode: "bus", route: "route-j", stops: 8 },
    },
    response: {
      ...SERVICE_1,
      service_id: "svc-010",
      name: "O-Bahn Busway",
      provided_features: { mode: "bus", route: "route-j", stops: 8 },
      created_at: LATER,
      updated_at: LATER,
    },
  },
  patchServices: {
    request: {
      items: [
        { service_id: "svc-001", provided_features: { route: "route-a" } },
        { service_id: "service-1", name: "Adelaide Metro North" },
      ],
    },
    response: {
      dry_run: false,
      updated: 1,
      unchanged: 1,
      items: [
        {
          service_id: "svc-001",
          outcome: "updated",
          service: {
            ...SVC_001,
            provided_features: { mode: "tram", route: "route-a" },
            updated_at: LATER,
          },
        },
        { service_id: "service-1", outcome: "unchanged", service: SERVICE_1 },
      ],
    },
  },
  getService: { response: SERVICE_1 },
  patchService: {
    request: { provided_features: { route: "route-a", stops: null } },
    response: {
      ...SVC_001,
      provided_features: { mode: "tram", route: "route-a" },
      updated_at: LATER,
    },
  },

  // Model registry
  listModels: {
    response: page([
      {
        ...MODEL,
        model_id: "eta-model",
        name: "ETA model",
        description: "Arrival time prediction",
        versions: ["1.0.0"],
      },
      MODEL,
    ]),
  },
  createModel: {
    request: { model_id: "crowding-model", name: "Crowding model", description: "Load per trip" },
    response: {
      model_id: "crowding-model",
      name: "Crowding model",
      description: "Load per trip",
      versions: [],
      created_by: "user:admin@localhost",
      created_at: LATER,
    },
  },
  getModel: { response: MODEL },
  listModelVersions: {
    response: page([
      {
        ...VERSION_2,
        version: "1.0.0",
        description: "First release",
        features: V1_FEATURES,
        contract_hash: V1_HASH,
      },
      VERSION_2,
    ]),
  },
  createModelVersion: {
    request: VERSION_3_BODY,
    response: {
      ...VERSION_2,
      ...VERSION_3_BODY,
      contract_hash: contractHash(VERSION_3_BODY.features),
      created_by: "user:admin@localhost",
      created_at: LATER,
    },
  },
  getModelVersion: { response: VERSION_2 },
  getContractDiff: {
    response: {
      model_id: "example-model",
      from: "1.0.0",
      to: "2.0.0",
      breaking: true,
      changes: [
        {
          key: "route",
          change: "added",
          from: null,
          to: ROUTE_FEATURE,
          impact: "breaking",
          reason:
            'feature "route" was added as required with no default; services without it become incompatible',
        },
      ],
    },
  },

  // Access
  getMe: {
    response: {
      subject: "deploy-pipeline",
      via: "token",
      scopes: ["assignments:read", "assignments:write"],
      clients: ["client-1"],
      role: null,
      must_change_password: false,
      can: { write_assignments: true, write_services: false, write_models: false, admin: false },
    },
  },
  changeOwnPassword: {
    request: { current_password: "the one I signed in with", new_password: "three new words here" },
    response: {
      ended: true,
      message:
        "Password changed. Every session of yours has ended: sign in again with the new password.",
    },
  },
  signOutEverywhere: {
    response: { ended: true, message: "Signed out everywhere: every session of yours has ended." },
  },
  listUsers: {
    response: {
      items: [
        {
          ...USER,
          id: "13922a31-1a33-4a3a-847d-60380563c982",
          email: "admin@localhost",
          name: "Administrator",
          role: "admin",
        },
        USER,
      ],
    },
  },
  createUser: {
    request: { email: "ana@example.com", name: "Ana", role: "editor" },
    response: { ...USER, must_change_password: true, password: "q7Vd2mXk9LpR4sWz8TbN" },
  },
  getUser: { response: USER },
  patchUser: {
    request: { role: "viewer" },
    response: { ...USER, role: "viewer", updated_at: LATER },
  },
  listApiTokens: { response: { items: [TOKEN] } },
  createApiToken: {
    request: {
      name: "deploy pipeline",
      subject: "deploy-pipeline",
      scopes: ["assignments:read", "assignments:write"],
      clients: ["client-1"],
      expires_in_seconds: 7776000,
    },
    response: {
      ...TOKEN,
      created_at: LATER,
      last_used_at: null,
      token:
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZXBsb3ktcGlwZWxpbmUiLCJzY29wZSI6ImFzc2lnbm1lbnRzOnJlYWQgYXNzaWdubWVudHM6d3JpdGUiLCJjbGllbnRzIjpbImNsaWVudC0xIl19.c2lnbmF0dXJlLWV4YW1wbGU",
    },
  },
  adoptApiToken: {
    request: {
      token:
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzY29wZSI6ImFzc2lnbm1lbnRzOnJlYWQgYXNzaWdubWVudHM6d3JpdGUiLCJjbGllbnRzIjpbImNsaWVudC0xIl0sInN1YiI6ImRlcGxveS1waXBlbGluZSIsImlhdCI6MTc5NTg4NjQ1OCwianRpIjoiOGIyZTRkNmYtMWEzYy00ZTVmLTlhN2ItMGMxZDJlM2Y0YTViIn0.c2lnbmF0dXJlLWV4YW1wbGU",
      name: "deploy pipeline (legacy)",
      expires_in_seconds: 2592000,
    },
    response: {
      ...TOKEN,
      id: "8b2e4d6f-1a3c-4e5f-9a7b-0c1d2e3f4a5b",
      name: "deploy pipeline (legacy)",
      created_at: LATER,
      expires_at: "2026-12-30T06:02:11.420Z",
      last_used_at: null,
      adopted_at: LATER,
    },
  },
  getApiToken: { response: TOKEN },
  revokeApiToken: { response: { ...TOKEN, revoked_at: LATER } },

  // Audit
  // Webhooks
  listChangeRequests: { response: page([{ ...CR_SUMMARY, change_count: 1 }]) },
  openChangeRequest: { request: CR_OPEN, response: CHANGE_REQUEST },
  getChangeRequest: { response: CR_APPROVED },
  editChangeRequest: {
    request: { title: "Move South Australia to 2.0.0 (routes checked)" },
    response: { ...CHANGE_REQUEST, title: "Move South Australia to 2.0.0 (routes checked)" },
  },
  reviewChangeRequest: {
    request: { decision: "approve", comment: CR_REVIEW.comment, impact_hash: CR_HASH },
    response: CR_APPROVED,
  },
  applyChangeRequest: {
    response: {
      ...CR_APPROVED,
      status: "applied",
      applied_at: LATER,
      applied_by: CHANGE_REQUEST.author,
    },
  },
  withdrawChangeRequest: { response: { ...CHANGE_REQUEST, status: "withdrawn" } },
  listRollouts: {
    response: page([{ ...ROLLOUT_FIELDS, wave_count: 2, current_wave_name: "canary" }]),
  },
  createRollout: { request: ROLLOUT_BODY, response: { ...ROLLOUT, preview: ROLLOUT_PREVIEW } },
  previewRollout: { request: ROLLOUT_BODY, response: ROLLOUT_PREVIEW },
  getRollout: { response: ROLLOUT },
  pauseRollout: { response: { ...ROLLOUT, status: "paused", next_check_at: null } },
  resumeRollout: { response: ROLLOUT },
  promoteRollout: {
    response: {
      ...ROLLOUT,
      current_wave: 2,
      waves: [
        {
          ...ROLLOUT.waves[0]!,
          status: "completed",
          completed_at: LATER,
          promoted_by: "admin@localhost",
        },
        ROLLOUT.waves[1]!,
      ],
    },
  },
  abortRollout: {
    response: {
      ...ROLLOUT,
      status: "aborted",
      status_reason: "Aborted by admin@localhost",
      next_check_at: null,
    },
  },
  rollbackRollout: {
    response: {
      ...ROLLOUT,
      status: "rolled_back",
      status_reason: "Rolled back by admin@localhost",
      next_check_at: null,
      waves: [{ ...ROLLOUT.waves[0]!, status: "rolled_back" }, ROLLOUT.waves[1]!],
    },
  },
  listWebhooks: { response: { items: [WEBHOOK] } },
  createWebhook: {
    response: { ...WEBHOOK, secret: "whsec_Jd0rS6b2yVq1mN8xTzK4pL7cW3eF9hA5gU0iO2sD1fE" },
  },
  getWebhook: { response: WEBHOOK },
  deleteWebhook: { response: WEBHOOK },
  listWebhookDeliveries: {
    response: {
      items: [
        {
          ...DELIVERY,
          id: "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
          cursor: "43",
          status: "pending",
          attempt: 2,
          response_code: 503,
          error: "The receiver answered HTTP 503",
          next_retry_at: "2026-11-30T06:02:51.417Z",
        },
        DELIVERY,
      ],
    },
  },
  retryWebhookDelivery: {
    response: { ...DELIVERY, status: "pending", next_retry_at: LATER },
  },

  listAuditEntries: {
    response: page([
      {
        id: 42,
        at: LATER,
        actor: "user:admin@localhost",
        action: "service.patch",
        entity_type: "service",
        entity_id: "client-1/south_australia/svc-001",
        client_id: "client-1",
        request_id: "f740dd4f-eccf-4040-895d-9d2689880b3f",
        reason: "Ticket OPS-42: route-aware model needs the route",
        before: { provided_features: { mode: "tram" } },
        after: { provided_features: { mode: "tram", route: "route-a" } },
      },
    ]),
  },

  // Health and meta
  getLiveness: { response: { status: "ok", version: APP_VERSION, api: API_VERSION } },
  getReadiness: { response: { status: "ready", database: "pglite" } },
  getOpenApiDocument: {
    response: {
      openapi: "3.1.0",
      info: { title: "Model assignment console API", version: APP_VERSION },
      paths: {},
    },
  },
};
