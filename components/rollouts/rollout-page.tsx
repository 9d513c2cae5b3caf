"use client";
// /rollouts/{id}: a rollout's timeline of waves — each with its state, gate, change requests and synced share,
// refreshed every few seconds while it moves — and the actions: pause, resume, promote, abort, roll back, each
// confirmed first.
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { paths } from "@/components/paths";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { ConfirmDialog } from "@/components/ui/dialog";
import { PageHeader } from "@/components/ui/page-header";
import { messageOf } from "@/components/ui/server-errors";
import { QueryState } from "@/components/ui/states";
import type { Rollout, RolloutWave } from "@/lib/browser/api-client/types";
import { useMe } from "@/lib/browser/queries/me";
import { useRollout, useRolloutAction, type RolloutAction } from "@/lib/browser/queries/rollouts";
import { formatActor } from "@/lib/shared/format-actor";
import { RolloutStatus } from "./rollout-status";

export function RolloutPage({ id }: { id: string }) {
  const rollout = useRollout(id);
  return (
    <>
      <PageHeader
        crumbs={[
          { label: "Rollouts", href: paths.rollouts() },
          { label: rollout.data?.name ?? "…" },
        ]}
        title={rollout.data?.name ?? "Rollout"}
        description={
          rollout.data ? (
            <>
              <span className="font-mono">
                {rollout.data.assignment_key} → {rollout.data.model_id}@{rollout.data.model_version}
              </span>{" "}
              · started by {formatActor(rollout.data.created_by)} on{" "}
              <DateTime value={rollout.data.created_at} />
            </>
          ) : undefined
        }
      />
      <QueryState query={rollout} loadingLabel="Loading the rollout…">
        {(r) => <RolloutBody rollout={r} />}
      </QueryState>
    </>
  );
}

const GATE = (w: RolloutWave) =>
  [
    w.gate.wait_seconds !== undefined ? `wait ${w.gate.wait_seconds} s` : null,
    w.gate.min_synced_percent !== undefined ? `${w.gate.min_synced_percent}% synced` : null,
    w.gate.manual ? "promoted by hand" : null,
    w.gate.timeout_seconds !== undefined ? `timeout ${w.gate.timeout_seconds} s` : null,
  ]
    .filter(Boolean)
    .join(" · ") || "none (passes at once)";

function RolloutBody({ rollout }: { rollout: Rollout }) {
  const me = useMe();
  const canAct = me.data?.can.write_assignments ?? false;
  return (
    <div className="space-y-5">
      <Card>
        <CardBody className="flex flex-wrap items-center gap-4 text-sm">
          <span>
            Status: <RolloutStatus status={rollout.status} />
          </span>
          <span>
            {rollout.current_wave
              ? `Wave ${rollout.current_wave} of ${rollout.waves.length}`
              : `${rollout.waves.length} waves`}
          </span>
          {rollout.next_check_at ? (
            <span className="text-fg-muted">
              Next check <DateTime value={rollout.next_check_at} />
            </span>
          ) : null}
        </CardBody>
      </Card>
      {rollout.status_reason ? (
        <Alert
          tone={rollout.status === "stopped" ? "danger" : "info"}
          role="status"
          title={rollout.status === "stopped" ? "Stopped" : "Note"}
        >
          {rollout.status_reason}
        </Alert>
      ) : null}
      {canAct ? <Actions rollout={rollout} /> : null}
      <ol className="space-y-3" aria-label="Waves">
        {rollout.waves.map((w) => (
          <li key={w.position}>
            <WaveCard wave={w} current={rollout.current_wave === w.position} />
          </li>
        ))}
      </ol>
    </div>
  );
}

function WaveCard({ wave, current }: { wave: RolloutWave; current: boolean }) {
  const share = wave.sync?.synced_percent ?? null;
  return (
    <Card className={current ? "border-accent" : undefined}>
      <CardHeader
        title={
          <span className="flex items-center gap-2">
            Wave {wave.position}: {wave.name} <RolloutStatus status={wave.status} />
          </span>
        }
        description={`Gate: ${GATE(wave)}`}
      />
      <CardBody className="space-y-2 text-sm">
        <p>
          Domains:{" "}
          {wave.targets.map((t, i) => (
            <span key={`${t.client_id}/${t.domain_id}`}>
              {i > 0 ? ", " : ""}
              <Link className="font-mono underline" href={paths.domain(t.client_id, t.domain_id)}>
                {t.domain_id}
              </Link>
            </span>
          ))}
        </p>
        {share !== null ? (
          <div>
            <div className="flex justify-between">
              <span>
                Synced: {wave.sync!.synced} of {wave.sync!.total}
                {wave.sync!.failed > 0 ? ` · ${wave.sync!.failed} failed` : ""}
              </span>
              <span aria-label={`Wave ${wave.position} synced share`}>{share}%</span>
            </div>
            <div
              className="mt-1 h-2 w-full rounded bg-muted"
              role="progressbar"
              aria-valuenow={share}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-label={`Wave ${wave.position} synced`}
            >
              <div className="h-2 rounded bg-accent" style={{ width: `${share}%` }} />
            </div>
          </div>
        ) : null}
        {wave.change_requests.length > 0 ? (
          <p>
            Change request{wave.change_requests.length === 1 ? "" : "s"}:{" "}
            {wave.change_requests.map((c, i) => (
              <span key={c.id}>
                {i > 0 ? ", " : ""}
                <Link className="underline" href={paths.changeRequest(c.client_id, c.id)}>
                  #{c.number} of {c.client_id}
                </Link>
              </span>
            ))}
          </p>
        ) : null}
        {wave.applied_at ? (
          <p className="text-fg-muted">
            Applied <DateTime value={wave.applied_at} />
            {wave.completed_at ? (
              <>
                {" "}
                · gate met <DateTime value={wave.completed_at} />
              </>
            ) : null}
            {wave.promoted_by ? ` · promoted by ${formatActor(wave.promoted_by)}` : ""}
          </p>
        ) : null}
        {wave.status_reason ? <p className="text-danger">{wave.status_reason}</p> : null}
      </CardBody>
    </Card>
  );
}

const ACTIONS: {
  action: RolloutAction;
  label: string;
  when: (r: Rollout) => boolean;
  question: string;
  tone: "danger" | "primary";
}[] = [
  {
    action: "promote",
    label: "Promote",
    when: (r) =>
      (r.status === "running" || r.status === "paused") &&
      r.waves[(r.current_wave ?? 0) - 1]?.status === "applied",
    question: "Pass the current wave's gate now? The next wave starts at once.",
    tone: "primary",
  },
  {
    action: "pause",
    label: "Pause",
    when: (r) => r.status === "running",
    question: "Pause the rollout? Nothing is undone; resume it later.",
    tone: "primary",
  },
  {
    action: "resume",
    label: "Resume",
    when: (r) => r.status === "paused" || r.status === "stopped",
    question: "Resume the rollout? A wave that stopped it is tried again.",
    tone: "primary",
  },
  {
    action: "abort",
    label: "Abort",
    when: (r) => ["running", "paused", "stopped"].includes(r.status),
    question: "Abort the rollout for good? Applied waves stay; roll back to undo them.",
    tone: "danger",
  },
  {
    action: "rollback",
    label: "Roll back",
    when: (r) => r.status !== "rolled_back" && r.waves.some((w) => w.applied_at !== null),
    question:
      "Roll back every applied wave? The revisions active before each wave are restored, in one transaction.",
    tone: "danger",
  },
];

function Actions({ rollout }: { rollout: Rollout }) {
  const act = useRolloutAction(rollout.id);
  const [asking, setAsking] = useState<(typeof ACTIONS)[number] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const available = ACTIONS.filter((a) => a.when(rollout));
  if (available.length === 0) return null;
  return (
    <div className="flex flex-wrap gap-2">
      {available.map((a) => (
        <Button
          key={a.action}
          variant={a.tone === "danger" ? "danger" : "secondary"}
          onClick={() => {
            setError(null);
            setAsking(a);
          }}
        >
          {a.label}
        </Button>
      ))}
      <ConfirmDialog
        open={asking !== null}
        onOpenChange={(open) => (open ? null : setAsking(null))}
        title={asking ? `${asking.label}?` : ""}
        description={asking?.question ?? ""}
        confirmLabel={asking?.label ?? ""}
        tone={asking?.tone ?? "primary"}
        busy={act.isPending}
        error={error}
        onConfirm={() =>
          asking &&
          act.mutate(
            { action: asking.action, wave: rollout.current_wave },
            {
              onSuccess: () => {
                toast.success(`${asking.label}: done`);
                setAsking(null);
              },
              onError: (e) => setError(messageOf(e)),
            },
          )
        }
      />
    </div>
  );
}
