"use client";
// API tokens: the machines that call /v2, with their scopes and clients. The JWT itself is never stored: it was
// shown once at creation. Revoking refuses the token (401) from the next request on.
import { useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState, QueryState } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { useRevokeToken, useTokens, type ApiToken } from "@/lib/queries/access";
import { CreateTokenDialog } from "./create-token-dialog";

export function TokensSection() {
  const tokens = useTokens();
  const [creating, setCreating] = useState(false);
  return (
    <Card>
      <CardHeader
        id="tokens-heading"
        title="API tokens"
        description="Bearer tokens for machines. Each is shown once when created; revoke one the moment it may have leaked."
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            Create token
          </Button>
        }
      />
      <QueryState query={tokens} loadingLabel="Loading API tokens…">
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState title="No API tokens yet">
              Create one for each machine that calls the API, with only the scopes it needs.
            </EmptyState>
          ) : (
            <Table aria-labelledby="tokens-heading">
              <thead>
                <tr>
                  <Th>Name</Th>
                  <Th>Subject</Th>
                  <Th>Scopes</Th>
                  <Th>Clients</Th>
                  <Th>Created</Th>
                  <Th>Expires</Th>
                  <Th>Status</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((token) => (
                  <TokenRow key={token.id} token={token} />
                ))}
              </tbody>
            </Table>
          )
        }
      </QueryState>
      <CreateTokenDialog open={creating} onOpenChange={setCreating} />
    </Card>
  );
}

function TokenRow({ token }: { token: ApiToken }) {
  const revoke = useRevokeToken();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Read once per render of the list: whether a token has expired is only shown, never enforced, here.
  const [now] = useState(() => Date.now());
  const expired = token.expires_at !== null && new Date(token.expires_at).getTime() <= now;

  const onConfirm = async () => {
    setError(null);
    try {
      await revoke.mutateAsync(token.id);
      toast.success(`Revoked token ${token.name}`);
      setConfirming(false);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <Tr className={token.revoked_at ? "text-fg-muted" : undefined}>
      <Td className="font-medium text-fg">{token.name}</Td>
      <Td className="font-mono text-xs">{token.subject}</Td>
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
        <div className="text-xs text-fg-muted">by {token.created_by}</div>
      </Td>
      <Td className="whitespace-nowrap">
        {token.expires_at ? (
          <DateTime value={token.expires_at} />
        ) : (
          <span className="text-fg-muted">Never</span>
        )}
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
            onClick={() => setConfirming(true)}
            aria-label={`Revoke token ${token.name}`}
          >
            Revoke
          </Button>
        )}
        <ConfirmDialog
          open={confirming}
          onOpenChange={(open) => {
            setConfirming(open);
            if (!open) setError(null);
          }}
          title={`Revoke token "${token.name}"?`}
          description={
            <>
              Every request with it is refused (401) from now on. This can&apos;t be undone: a
              machine that still needs access gets a new token.
              {error ? (
                <span
                  role="alert"
                  className="mt-3 block rounded-md border border-danger/40 bg-danger-bg p-2 text-danger"
                >
                  {error}
                </span>
              ) : null}
            </>
          }
          confirmLabel="Revoke token"
          onConfirm={onConfirm}
          busy={revoke.isPending}
        />
      </Td>
    </Tr>
  );
}
