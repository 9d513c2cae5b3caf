"use client";
// People: everyone who can sign in to the console, their role and whether they are enabled. Admins add people,
// change roles, disable or enable accounts and set new passwords; the server refuses (422) to leave the console
// without an enabled admin, and says so. With single sign-on configured (`ssoName`), admins also allow a person's
// next single sign-on to link to them, or remove that link.
import { useConfirmWithReason } from "@/components/audit/use-confirm-with-reason";
import { useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { ConfirmDialog } from "@/components/ui/dialog";
import { FieldError, Select } from "@/components/ui/input";
import { SecretOnceDialog } from "@/components/ui/secret-once";
import { messageOf } from "@/components/ui/server-errors";
import { EmptyState } from "@/components/ui/states";
import { Td, Tr } from "@/components/ui/table";
import { ROLES, type Role } from "@/lib/shared/scopes";
import { useTokens, useUpdateUser, useUsers, type User } from "@/lib/browser/queries/access";
import { AccessListCard } from "./access-list-card";
import { AddPersonDialog } from "./add-person-dialog";
import { ROLE_HELP } from "./access-labels";

/** A password for "Set new password": 20 characters from an alphabet without look-alikes, from the CSPRNG. */
function generatePassword(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

export function PeopleSection({
  selfSubject,
  ssoName = null,
}: {
  selfSubject: string;
  ssoName?: string | null;
}) {
  const users = useUsers();
  return (
    <AccessListCard
      headingId="people-heading"
      title="People"
      description="Who can sign in to the console. Viewers read; editors also change assignments and services; admins do everything."
      addLabel="Add person"
      AddDialog={AddPersonDialog}
      query={users}
      loadingLabel="Loading people…"
      empty={<EmptyState title="Nobody can sign in yet" />}
      columns={["Email", "Name", "Role", "Status", "Added"]}
    >
      {(items) =>
        items.map((user) => (
          <PersonRow
            key={`${user.id}:${user.role}`}
            user={user}
            isSelf={selfSubject === `user:${user.email}`}
            ssoName={ssoName}
          />
        ))
      }
    </AccessListCard>
  );
}

type PersonChange = "disable" | "enable" | "password" | "sso-allow" | "sso-remove";

function PersonRow({
  user,
  isSelf,
  ssoName,
}: {
  user: User;
  isSelf: boolean;
  ssoName: string | null;
}) {
  return (
    <Tr>
      <Td className="font-medium">
        {user.email}
        {isSelf ? (
          <Badge tone="accent" className="ml-2">
            you
          </Badge>
        ) : null}
        {user.single_sign_on ? <Badge className="ml-2">single sign-on</Badge> : null}
        {user.single_sign_on_identity && !user.single_sign_on ? (
          <Badge className="ml-2">linked to single sign-on</Badge>
        ) : null}
        {user.single_sign_on_link_allowed ? (
          <Badge tone="warn" className="ml-2">
            single sign-on link allowed
          </Badge>
        ) : null}
        {user.clients ? (
          <span className="block text-xs font-normal text-fg-muted">
            clients: {user.clients.join(", ")}
          </span>
        ) : null}
      </Td>
      <Td>{user.name ?? <span className="text-fg-muted">—</span>}</Td>
      <Td>
        <RoleEditor user={user} />
      </Td>
      <Td>
        {user.disabled ? <Badge tone="danger">Disabled</Badge> : <Badge tone="ok">Active</Badge>}
      </Td>
      <Td className="whitespace-nowrap text-fg-muted">
        <DateTime value={user.created_at} />
      </Td>
      <Td className="text-right whitespace-nowrap">
        <PersonActions user={user} ssoName={ssoName} />
      </Td>
    </Tr>
  );
}

/** The person's role: a select, with Save and Cancel once it differs from the role they have. */
function RoleEditor({ user }: { user: User }) {
  const update = useUpdateUser();
  const [role, setRole] = useState<Role>(user.role);
  const [roleError, setRoleError] = useState<string | null>(null);
  const roleErrorId = `role-error-${user.id}`;

  const saveRole = async () => {
    setRoleError(null);
    try {
      await update.mutateAsync({ userId: user.id, patch: { role } });
      toast.success(`${user.email} is now ${role}`);
    } catch (error) {
      setRoleError(messageOf(error));
    }
  };

  return (
    <>
      <div className="flex flex-wrap items-center gap-2">
        <div className="w-28">
          <Select
            id={`role-${user.id}`}
            aria-label={`Role of ${user.email}`}
            aria-describedby={roleError ? roleErrorId : undefined}
            aria-invalid={!!roleError || undefined}
            className="h-8"
            value={role}
            onChange={(e) => {
              setRoleError(null);
              setRole(e.target.value as Role);
            }}
            title={ROLE_HELP[role]}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
        </div>
        {role !== user.role ? (
          <>
            <Button
              size="sm"
              variant="primary"
              busy={update.isPending}
              onClick={saveRole}
              aria-label={`Save role of ${user.email}`}
            >
              Save
            </Button>
            <Button
              size="sm"
              variant="ghost"
              onClick={() => {
                setRole(user.role);
                setRoleError(null);
              }}
              aria-label={`Keep role of ${user.email}`}
            >
              Cancel
            </Button>
          </>
        ) : null}
      </div>
      <FieldError id={roleErrorId} message={roleError} />
    </>
  );
}

/**
 * New password, disable or enable, and allow or remove a single sign-on link: each asked first (with a reason); a
 * new password is shown once.
 */
function PersonActions({ user, ssoName }: { user: User; ssoName: string | null }) {
  const update = useUpdateUser();
  const change = useConfirmWithReason<PersonChange>(`person-change-reason-${user.id}`);
  const [newPassword, setNewPassword] = useState<string | null>(null);
  // Disabling revokes the tokens the person answers for, unless they go to someone else (listed in the dialog).
  const [handTo, setHandTo] = useState("");
  const people = useUsers(change.asking === "disable");
  const tokens = useTokens(change.asking === "disable");
  const theirTokens = (tokens.data?.items ?? []).filter(
    (t) =>
      t.owner_user_id === user.id &&
      t.revoked_at === null &&
      (t.expires_at === null || Date.parse(t.expires_at) > tokens.dataUpdatedAt),
  );
  const heirs = (people.data?.items ?? []).filter((p) => p.id !== user.id && !p.disabled);

  const confirm = () =>
    change.confirm(async (what, reason) => {
      if (what === "password") {
        const password = generatePassword();
        await update.mutateAsync({ userId: user.id, patch: { password }, reason });
        setNewPassword(password);
        return;
      }
      if (what === "sso-allow" || what === "sso-remove") {
        const link = what === "sso-allow" ? "allow" : "remove";
        await update.mutateAsync({ userId: user.id, patch: { single_sign_on_link: link }, reason });
        toast.success(
          link === "allow"
            ? `${user.email}'s next sign-in with ${ssoName ?? "single sign-on"} links to them`
            : `${user.email} is no longer linked to single sign-on`,
        );
        return;
      }
      const disabled = what === "disable";
      const patch =
        disabled && handTo !== "" && theirTokens.length > 0
          ? { disabled, hand_tokens_to: handTo }
          : { disabled };
      await update.mutateAsync({ userId: user.id, patch, reason });
      toast.success(
        disabled ? `${user.email} can no longer sign in` : `${user.email} can sign in again`,
      );
    });

  const confirmText = {
    disable: {
      title: `Disable ${user.email}?`,
      body: "They can no longer sign in, and their current session stops working at once. You can enable them again later.",
      label: "Disable",
      tone: "danger",
    },
    enable: {
      title: `Enable ${user.email}?`,
      body: `They can sign in again, as ${user.role}.`,
      label: "Enable",
      tone: "primary",
    },
    password: {
      title: `Set a new password for ${user.email}?`,
      body: "A new password is generated and shown to you once; their old password stops working.",
      label: "Set new password",
      tone: "danger",
    },
    "sso-allow": {
      title: `Allow single sign-on for ${user.email}?`,
      body:
        `The next sign-in with ${ssoName ?? "single sign-on"} whose email is ${user.email}, verified by the identity provider, ` +
        "becomes this person (once). From then on their role and clients follow the identity provider's groups at each sign-in" +
        (user.single_sign_on ? "." : "; their password keeps working."),
      label: "Allow single sign-on",
      tone: "primary",
    },
    "sso-remove": {
      title: `Remove single sign-on for ${user.email}?`,
      body: user.single_sign_on_identity
        ? `Signing in with ${ssoName ?? "single sign-on"} no longer reaches this person, and their sessions end at once` +
          (user.single_sign_on ? "." : "; their password keeps working.")
        : `A sign-in with ${ssoName ?? "single sign-on"} with this email is refused again.`,
      label: user.single_sign_on_identity
        ? "Unlink single sign-on"
        : "Withdraw single sign-on link",
      tone: "danger",
    },
  } as const;
  // Single sign-on: allow a link when there is none (nor one allowed), else remove it.
  const ssoChange: PersonChange | null = !ssoName
    ? null
    : user.single_sign_on_identity || user.single_sign_on_link_allowed
      ? "sso-remove"
      : "sso-allow";
  // Enabled people can be disabled, disabled ones enabled.
  const toggle = user.disabled ? "enable" : "disable";
  const asking = change.asking;

  return (
    <>
      <div className="flex justify-end gap-1">
        {ssoChange ? (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => change.ask(ssoChange)}
            aria-label={`${confirmText[ssoChange].label} for ${user.email}`}
          >
            {ssoChange === "sso-allow" ? "Allow single sign-on" : confirmText[ssoChange].label}
          </Button>
        ) : null}
        <Button
          size="sm"
          variant="ghost"
          onClick={() => change.ask("password")}
          aria-label={`Set new password for ${user.email}`}
        >
          New password
        </Button>
        <Button
          size="sm"
          onClick={() => change.ask(toggle)}
          aria-label={`${confirmText[toggle].label} ${user.email}`}
        >
          {confirmText[toggle].label}
        </Button>
      </div>
      {asking ? (
        <ConfirmDialog
          open
          onOpenChange={(open) => {
            if (!open) change.dismiss();
          }}
          title={confirmText[asking].title}
          description={confirmText[asking].body}
          error={change.error}
          confirmLabel={confirmText[asking].label}
          tone={confirmText[asking].tone}
          onConfirm={confirm}
          busy={update.isPending}
        >
          {asking === "disable" ? (
            <TokensOfDisabled
              user={user}
              loading={tokens.isPending}
              tokens={theirTokens.map((t) => t.name)}
              heirs={heirs}
              handTo={handTo}
              onHandTo={setHandTo}
            />
          ) : null}
          {change.reasonField}
        </ConfirmDialog>
      ) : null}
      <SecretOnceDialog
        value={newPassword}
        onDone={() => setNewPassword(null)}
        title={`New password for ${user.email}`}
        description="Give it to them over a channel you trust."
        label="New password"
        copyLabel="Copy password"
        rows={1}
        warning="The console does not keep this password and can't show it again. Copy it now."
      />
    </>
  );
}

/** In the disable dialog: the tokens the person answers for, and whether they are revoked or go to someone else. */
function TokensOfDisabled({
  user,
  loading,
  tokens,
  heirs,
  handTo,
  onHandTo,
}: {
  user: User;
  loading: boolean;
  tokens: string[];
  heirs: User[];
  handTo: string;
  onHandTo: (id: string) => void;
}) {
  const selectId = `hand-tokens-${user.id}`;
  if (loading) return <p className="text-sm text-fg-muted">Loading their tokens…</p>;
  if (tokens.length === 0)
    return <p className="text-sm text-fg-muted">They made no tokens that still work.</p>;
  return (
    <div className="space-y-2 text-sm">
      <p>
        {tokens.length === 1 ? "This token answers" : `These ${tokens.length} tokens answer`} to
        them:
      </p>
      <ul aria-label={`Tokens of ${user.email}`} className="list-disc pl-5 font-mono text-xs">
        {tokens.map((name) => (
          <li key={name}>{name}</li>
        ))}
      </ul>
      <label htmlFor={selectId} className="block font-medium">
        Their tokens
      </label>
      <Select id={selectId} value={handTo} onChange={(e) => onHandTo(e.target.value)}>
        <option value="">Revoke them</option>
        {heirs.map((p) => (
          <option key={p.id} value={p.id}>
            Hand over to {p.email}
          </option>
        ))}
      </Select>
    </div>
  );
}
