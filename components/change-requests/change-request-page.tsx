"use client";
// One change request: what it changes and its impact (affected and blocking services, the contract diff), the
// reviews, and the actions the signed-in person may take — approve, reject or comment (on the impact they see),
// apply (its author, once approved), withdraw. A stale request says that its impact changed since approval and
// what changed, and asks for a new review.
import { useState } from "react";
import { toast } from "sonner";
import { paths } from "@/components/paths";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ButtonLink } from "@/components/ui/button-link";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Countdown } from "@/components/ui/countdown";
import { DateTime } from "@/components/ui/date-time";
import { FieldError, Label, Textarea } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { messageOf } from "@/components/ui/server-errors";
import { QueryState } from "@/components/ui/states";
import type { ChangeRequest, Me } from "@/lib/browser/api-client/types";
import {
  useApplyChangeRequest,
  useChangeRequest,
  useReadAfterDue,
  useReviewChangeRequest,
  useWithdrawChangeRequest,
} from "@/lib/browser/queries/change-requests";
import { useMe } from "@/lib/browser/queries/me";
import { formatActor } from "@/lib/shared/format-actor";
import { FixBlockers } from "./fix-blockers";
import { ImpactView } from "./impact-view";
import { RequestStatus } from "./request-status";

export function ChangeRequestPage({ clientId, id }: { clientId: string; id: string }) {
  const request = useChangeRequest(clientId, id);
  const me = useMe();
  const crumbs = [
    { label: "Clients", href: paths.clients() },
    { label: clientId, href: paths.client(clientId) },
    { label: "Change requests", href: paths.changeRequests(clientId) },
    { label: request.data ? `#${request.data.number}` : "…" },
  ];
  return (
    <>
      <PageHeader
        crumbs={crumbs}
        title={request.data ? `#${request.data.number} ${request.data.title}` : "Change request"}
        description={
          request.data ? (
            <>
              Opened by {formatActor(request.data.author)} on{" "}
              <DateTime value={request.data.created_at} />
            </>
          ) : undefined
        }
      />
      <QueryState query={request} loadingLabel="Loading the change request…">
        {(cr) => (me.data ? <RequestBody clientId={clientId} request={cr} me={me.data} /> : null)}
      </QueryState>
    </>
  );
}

function RequestBody({
  clientId,
  request,
  me,
}: {
  clientId: string;
  request: ChangeRequest;
  me: Me;
}) {
  const isAuthor = request.author === me.subject;
  const reviewable = ["open", "approved", "rejected", "stale"].includes(request.status);
  const canReview = me.can.write_assignments && reviewable;
  const canApply = (isAuthor || me.can.admin) && request.status === "approved";
  const canWithdraw = (isAuthor || me.can.admin) && reviewable;
  // Editing (fixing blocking services from here) is the author's, while the request is not over.
  const canEdit = isAuthor && reviewable;
  return (
    <div className="space-y-5">
      <Card>
        <CardBody className="flex flex-wrap items-center gap-4 text-sm">
          <span>
            Status: <RequestStatus status={request.status} />
          </span>
          <span>
            Approvals: {request.approvals} of {request.required_approvals}
          </span>
          {request.apply_at ? <ScheduleNote clientId={clientId} request={request} /> : null}
          {request.applied_at ? (
            <span>
              Applied by {formatActor(request.applied_by ?? "")} on{" "}
              <DateTime value={request.applied_at} />
            </span>
          ) : null}
          <span className="font-mono text-xs text-fg-muted" title="impact_hash">
            impact {request.impact_hash.slice(0, 12)}
          </span>
        </CardBody>
      </Card>

      {request.description ? (
        <p className="text-sm whitespace-pre-wrap">{request.description}</p>
      ) : null}

      {request.status === "stale" ? (
        <Alert tone="warn" role="status" title="The impact changed since approval">
          <p>{request.status_reason}</p>
          <p className="mt-1">
            Nothing was written. The changes below show the impact as it is now; it needs a new
            review before it can be applied.
          </p>
          {request.approved_impact ? (
            <details className="mt-2">
              <summary>What had been approved</summary>
              <pre className="mt-1 max-h-64 overflow-auto text-xs">
                {JSON.stringify(request.approved_impact, null, 2)}
              </pre>
            </details>
          ) : null}
        </Alert>
      ) : null}
      {request.status === "failed" ? (
        <Alert tone="danger" role="status" title="It could not be applied at its scheduled time">
          <p>{request.status_reason}</p>
          <p className="mt-1">
            Nothing was written. Open a new request for the change as it is now.
          </p>
        </Alert>
      ) : null}
      {request.blocked ? (
        <Alert tone="danger" title="Services block this request">
          It can be reviewed but not applied until the blocking services are fixed:{" "}
          {isAuthor ? "fix them below" : "its author fixes them"}, which edits the request; it then
          needs a new review.
        </Alert>
      ) : null}
      {request.status === "rejected" ? (
        <Alert tone="danger" title="Rejected">
          A reviewer rejected this request; it can be approved once its author has edited it.
        </Alert>
      ) : null}

      {request.changes.map((change, i) => (
        <div key={i} className="space-y-3">
          <ImpactView clientId={clientId} change={change} index={i} />
          {canEdit && change.impact.blocking_services.length > 0 ? (
            <FixBlockers clientId={clientId} request={request} index={i} />
          ) : null}
        </div>
      ))}

      <Reviews request={request} />

      {canReview ? <ReviewForm clientId={clientId} request={request} isAuthor={isAuthor} /> : null}

      {canApply || canWithdraw || request.status === "applied" ? (
        <Actions
          clientId={clientId}
          request={request}
          canApply={canApply}
          canWithdraw={canWithdraw}
        />
      ) : null}
    </div>
  );
}

function Reviews({ request }: { request: ChangeRequest }) {
  return (
    <Card>
      <CardHeader title="Reviews" />
      <CardBody>
        {request.reviews.length === 0 ? (
          <p className="text-sm text-fg-muted">No reviews yet.</p>
        ) : (
          <ul className="space-y-2 text-sm">
            {request.reviews.map((r) => (
              <li key={r.id}>
                <span className="font-medium">{formatActor(r.reviewer)}</span>{" "}
                {r.decision === "approve"
                  ? "approved"
                  : r.decision === "reject"
                    ? "rejected"
                    : "commented"}{" "}
                <DateTime value={r.at} />
                {r.decision === "approve" && !r.counts ? (
                  <span className="text-fg-muted">
                    {" "}
                    (no longer counts: the request changed since)
                  </span>
                ) : null}
                {r.comment ? <p className="text-fg-muted">“{r.comment}”</p> : null}
              </li>
            ))}
          </ul>
        )}
      </CardBody>
    </Card>
  );
}

function ReviewForm({
  clientId,
  request,
  isAuthor,
}: {
  clientId: string;
  request: ChangeRequest;
  isAuthor: boolean;
}) {
  const review = useReviewChangeRequest(clientId, request.id);
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);
  const mayDecide = !isAuthor || request.allow_self_approval;

  async function send(decision: "approve" | "reject" | "comment") {
    setError(null);
    try {
      await review.mutateAsync({
        decision,
        impact_hash: request.impact_hash,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      setComment("");
      toast.success(
        decision === "approve" ? "Approved" : decision === "reject" ? "Rejected" : "Comment added",
      );
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <Card>
      <CardHeader
        title="Your review"
        description={
          mayDecide
            ? "You approve the impact shown above; if it changes, your approval stops counting."
            : "You opened this request: someone else approves it. You can comment."
        }
      />
      <CardBody className="space-y-3">
        <div className="space-y-1">
          <Label htmlFor="review-comment">Comment</Label>
          <Textarea
            id="review-comment"
            rows={3}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
        </div>
        <div className="flex flex-wrap gap-2">
          {mayDecide ? (
            <>
              <Button
                variant="primary"
                busy={review.isPending}
                onClick={() => void send("approve")}
                disabled={request.status === "rejected"}
              >
                Approve
              </Button>
              <Button variant="danger" busy={review.isPending} onClick={() => void send("reject")}>
                Reject
              </Button>
            </>
          ) : null}
          <Button busy={review.isPending} onClick={() => void send("comment")}>
            Comment
          </Button>
        </div>
        <FieldError message={error} />
      </CardBody>
    </Card>
  );
}

function Actions({
  clientId,
  request,
  canApply,
  canWithdraw,
}: {
  clientId: string;
  request: ChangeRequest;
  canApply: boolean;
  canWithdraw: boolean;
}) {
  const apply = useApplyChangeRequest(clientId, request.id);
  const withdraw = useWithdrawChangeRequest(clientId, request.id);
  const [error, setError] = useState<string | null>(null);
  const first = request.changes[0];
  return (
    <Card>
      <CardBody className="space-y-2">
        <div className="flex flex-wrap gap-2">
          {canApply ? (
            <Button
              variant="primary"
              busy={apply.isPending}
              disabled={request.blocked}
              onClick={async () => {
                setError(null);
                try {
                  const applied = await apply.mutateAsync();
                  toast.success(`Applied change request #${applied.number}`);
                } catch (e) {
                  setError(messageOf(e));
                }
              }}
            >
              Apply now
            </Button>
          ) : null}
          {canWithdraw ? (
            <Button
              variant="ghost"
              busy={withdraw.isPending}
              onClick={async () => {
                setError(null);
                try {
                  await withdraw.mutateAsync();
                  toast.info(`Withdrew change request #${request.number}`);
                } catch (e) {
                  setError(messageOf(e));
                }
              }}
            >
              Withdraw
            </Button>
          ) : null}
          {request.status === "applied" && first ? (
            <ButtonLink
              href={paths.history(
                { clientId, domainId: first.domain_id, serviceId: first.service_id },
                first.assignment_key,
              )}
            >
              See history
            </ButtonLink>
          ) : null}
        </div>
        <FieldError message={error} />
      </CardBody>
    </Card>
  );
}

/** When a scheduled request applies: its time and a live countdown while it waits. */
function ScheduleNote({ clientId, request }: { clientId: string; request: ChangeRequest }) {
  const readAfterDue = useReadAfterDue(clientId);
  const at = request.apply_at!;
  if (request.status === "approved")
    return (
      <span data-testid="schedule">
        Scheduled for <DateTime value={at} />, applies{" "}
        <Countdown to={at} onDue={readAfterDue} className="font-medium" />
      </span>
    );
  if (request.status === "open" || request.status === "stale" || request.status === "rejected")
    return (
      <span data-testid="schedule">
        Scheduled for <DateTime value={at} /> (<Countdown to={at} />
        ), once approved
      </span>
    );
  return (
    <span data-testid="schedule">
      Was scheduled for <DateTime value={at} />
    </span>
  );
}
