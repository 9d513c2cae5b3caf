"use client";
// API tokens: the machines that call /v2, with their scopes and clients. The JWT itself is never stored: it was
// shown once at creation. Revoking refuses the token (401) from the next request on.
import { useConfirmWithReason } from "@/components/audit/use-confirm-with-reason";
import { useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DateTime, DateTimeOr } from "@/components/ui/date-time";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/states";
import { Td, Tr } from "@/components/ui/table";
import { useRevokeToken, useTokens, type ApiToken } from "@/lib/browser/queries/access";
import { AccessListCard } from "./access-list-card";
import { AdoptTokenDialog } from "./adopt-token-dialog";
import { CreateTokenDialog } from "./create-token-dialog";
import { formatActor } from "@/lib/shared/format-actor";

export function TokensSection() {
  const tokens = useTokens();
  return (
    <AccessListCard
      headingId="tokens-heading"
      title="API tokens"
      description="Bearer tokens for machines. Each is shown once when created; revoke one the moment it may have leaked."
      addLabel="Create token"
      AddDialog={CreateTokenDialog}
      more={{ label: "Adopt token", Dialog: AdoptTokenDialog }}
      query={tokens}
      loadingLabel="Loading API tokens…"
      empty={
        <EmptyState title="No API tokens yet">
          Create one for each machine that calls the API, with only the scopes it needs.
        </EmptyState>
      }
      columns={[
        "Name",
        "Subject",
        "Scopes",
        "Clients",
        "Created",
        "Expires",
        "Last used",
        "Status",
      ]}
    >
      {(items) => items.map((token) => <TokenRow key={token.id} token={token} />)}
    </AccessListCard>
  );
}

function TokenRow({ token }: { token: ApiToken }) {
  const revoke = useRevokeToken();
  const revoking = useConfirmWithReason<ApiToken>(`revoke-reason-${token.id}`);
  // Read once per render of the list: whether a token has expired is only shown, never enforced, here.
  const [now] = useState(() => Date.now());
  const expired = token.expires_at !== null && new Date(token.expires_at).getTime() <= now;

  const onConfirm = () =>
    revoking.confirm(async (revoked, reason) => {
      await revoke.mutateAsync({ tokenId: revoked.id, reason });
      toast.success(`Revoked token ${revoked.name}`);
    });

  return (
    <Tr className={token.revoked_at ? "text-fg-muted" : undefined}>
      <Td className="font-medium text-fg">
        {token.name}
        {token.adopted_at ? (
          <div className="text-xs font-normal text-fg-muted">
            adopted <DateTime value={token.adopted_at} />
          </div>
        ) : null}
      </Td>
      <Td className="font-mono text-xs">{formatActor(token.subject)}</Td>
      <Td>
        <span className="flex max-w-56 flex-wrap gap-1">
          {token.scopes.map((s) => (
            <Badge
              key={s}
              tone={s === "admin" || s.endsWith(":write") ? "warn" : "neutral"}
              className="font-mono"
            >
              {s}
            </Badge>
          ))}
        </span>
      </Td>
      <Td>
        {token.clients === "*" ? (
          <Badge tone="warn">All clients</Badge>
        ) : (
          <span className="flex max-w-48 flex-wrap gap-1">
            {token.clients.map((c) => (
              <code key={c} className="rounded bg-muted px-1.5 py-0.5 text-xs">
                {c}
              </code>
            ))}
          </span>
        )}
      </Td>
      <Td className="whitespace-nowrap">
        <DateTime value={token.created_at} />
        <div className="text-xs text-fg-muted">by {formatActor(token.created_by)}</div>
      </Td>
      <Td className="whitespace-nowrap">
        {token.expires_at ? (
          <DateTime value={token.expires_at} />
        ) : (
          <Badge tone="warn">Never expires</Badge>
        )}
      </Td>
      <Td className="whitespace-nowrap">
        <DateTimeOr value={token.last_used_at} none="Never used" />
      </Td>
      <Td className="whitespace-nowrap">
        {token.revoked_at ? (
          <span className="flex flex-col items-start gap-0.5">
            <Badge tone="danger">Revoked</Badge>
            <DateTime value={token.revoked_at} className="text-xs" />
          </span>
        ) : expired ? (
          <Badge>Expired</Badge>
        ) : (
          <Badge tone="ok">Active</Badge>
        )}
      </Td>
      <Td className="text-right">
        {token.revoked_at ? null : (
          <Button
            size="sm"
            onClick={() => revoking.ask(token)}
            aria-label={`Revoke token ${token.name}`}
          >
            Revoke
          </Button>
        )}
        <ConfirmDialog
          open={revoking.asking !== null}
          onOpenChange={(open) => {
            if (!open) revoking.dismiss();
          }}
          title={`Revoke token "${token.name}"?`}
          description="Every request with it is refused (401) from now on. This can't be undone: a machine that still needs access gets a new token."
          error={revoking.error}
          confirmLabel="Revoke token"
          onConfirm={onConfirm}
          busy={revoke.isPending}
        >
          {revoking.reasonField}
        </ConfirmDialog>
      </Td>
    </Tr>
  );
}
