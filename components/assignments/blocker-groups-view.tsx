"use client";
// Many blocking services at once: grouped by what they lack or have wrong, one value for a whole group (typed from
// the contract), a search and a windowed list inside each group (only the rows in view are rendered, so a group of
// 10,000 stays quick), undo per service; and the services kept on the version they run now (pins).
import { useId, useMemo, useState, type ReactNode } from "react";
import { FeatureInput } from "@/components/features/feature-input";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { parseFeatureInput } from "@/lib/features/contract-form";
import { formatCount } from "@/lib/shared/format-count";
import { groupBlockers, searchGroup, type BlockerGroup } from "./blocker-groups";
import type { FixActions } from "./editor/use-repairs";
import type { FixValue, ServiceFix } from "./service-repairs";

const ROW_HEIGHT = 44;
const VIEW_ROWS = 8;

/**
 * A list that renders only the rows in view (fixed row height), with a scrollable box of `VIEW_ROWS` rows. The
 * list keeps its ARIA size and positions so screen readers announce "row 1,203 of 1,429".
 */
export function WindowedList<T>({
  items,
  label,
  rowKey,
  renderRow,
}: {
  items: readonly T[];
  label: string;
  rowKey: (item: T) => string;
  renderRow: (item: T) => ReactNode;
}) {
  const [scrollTop, setScrollTop] = useState(0);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - 2);
  const last = Math.min(items.length, first + VIEW_ROWS + 4);
  const visible = items.slice(first, last);
  return (
    <div
      className="overflow-y-auto rounded-md border border-border"
      style={{ height: Math.min(items.length, VIEW_ROWS) * ROW_HEIGHT + 2 }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <ul
        aria-label={label}
        className="relative"
        style={{ height: items.length * ROW_HEIGHT }}
        data-total={items.length}
      >
        {visible.map((item, i) => (
          <li
            key={rowKey(item)}
            aria-setsize={items.length}
            aria-posinset={first + i + 1}
            className="absolute inset-x-0 flex items-center gap-3 border-b border-border px-3"
            style={{ top: (first + i) * ROW_HEIGHT, height: ROW_HEIGHT }}
          >
            {renderRow(item)}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The groups of blocking services, each with one value for all, a search and its services. */
export function BlockerGroupsView({
  fixes,
  actions,
}: {
  fixes: readonly ServiceFix[];
  actions: FixActions;
}) {
  const groups = useMemo(() => groupBlockers(fixes), [fixes]);
  return (
    <ul aria-label="Blocking services by problem" className="space-y-4">
      {groups.map((group) => (
        <li key={group.id}>
          <GroupCard group={group} actions={actions} />
        </li>
      ))}
    </ul>
  );
}

function GroupCard({ group, actions }: { group: BlockerGroup; actions: FixActions }) {
  const uid = useId();
  const [search, setSearch] = useState("");
  const [groupValue, setGroupValue] = useState<FixValue>("");
  const definition = group.rows[0]?.field.definition ?? null;
  const rows = useMemo(() => searchGroup(group, search), [group, search]);
  const parsed = definition ? parseFeatureInput(definition, groupValue) : null;
  const groupError = parsed && parsed.kind === "invalid" ? parsed.message : null;
  // "One value for a group" fills the services shown (all of them, or those the search finds) not filled yet.
  const targets = rows.filter((r) => r.field.parsed === null).map((r) => r.serviceId);
  const headingId = `${uid}-heading`;
  return (
    <section
      aria-labelledby={headingId}
      className="space-y-3 rounded-md border border-danger/40 p-3"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h4 id={headingId} className="text-sm font-semibold">
          {group.label.split("`").map((part, i) =>
            i % 2 === 1 ? (
              <code key={i} className="font-mono">
                {part}
              </code>
            ) : (
              part
            ),
          )}
        </h4>
        <Badge tone={group.filled === group.rows.length ? "ok" : "neutral"}>
          {formatCount(group.filled)} of {formatCount(group.rows.length)} filled
        </Badge>
      </div>
      {definition ? (
        <div className="flex flex-wrap items-end gap-2">
          <div className="min-w-48 flex-1 space-y-1">
            <label htmlFor={`${uid}-value`} className="text-xs font-medium">
              One <code className="font-mono">{group.key}</code> for{" "}
              {search.trim() ? "the services found" : "every service of this group"} (
              {definition.type})
            </label>
            <FeatureInput
              id={`${uid}-value`}
              definition={definition}
              value={groupValue}
              onChange={setGroupValue}
              invalid={!!groupError}
              describedBy={groupError ? `${uid}-value-error` : undefined}
            />
            {groupError ? (
              <p id={`${uid}-value-error`} className="text-xs text-danger">
                {groupError}
              </p>
            ) : null}
          </div>
          <Button
            size="sm"
            disabled={!parsed || parsed.kind !== "value" || targets.length === 0}
            onClick={() => actions.setValues(targets, group.key, groupValue)}
          >
            Fill {formatCount(targets.length)} {targets.length === 1 ? "service" : "services"}
          </Button>
        </div>
      ) : (
        <p className="text-sm text-fg-muted">
          Needed by another key these services run, not by this version: fix it on each service.
        </p>
      )}
      <div className="space-y-1">
        <label htmlFor={`${uid}-search`} className="text-xs font-medium">
          Search this group
        </label>
        <Input
          id={`${uid}-search`}
          type="search"
          value={search}
          placeholder="Service id"
          onChange={(e) => setSearch(e.target.value)}
        />
        <p className="text-xs text-fg-muted" role="status">
          {search.trim()
            ? `${formatCount(rows.length)} of ${formatCount(group.rows.length)} services`
            : `${formatCount(group.rows.length)} services`}
        </p>
      </div>
      <WindowedList
        items={rows}
        label={`Services: ${group.label.replaceAll("`", "")}`}
        rowKey={(r) => r.serviceId}
        renderRow={({ serviceId, field }) => {
          const inputId = `${uid}-${serviceId}`;
          return (
            <>
              <label htmlFor={inputId} className="w-40 shrink-0 truncate font-mono text-sm">
                {serviceId}
              </label>
              {field.definition ? (
                <div className="max-w-xs min-w-0 flex-1">
                  <FeatureInput
                    id={inputId}
                    definition={field.definition}
                    value={field.value ?? ""}
                    onChange={(value) => actions.setFix(serviceId, field.key, value)}
                    invalid={!!field.error}
                    ariaLabel={`${field.key} for ${serviceId}`}
                  />
                </div>
              ) : null}
              {field.error ? (
                <span className="truncate text-xs text-danger">{field.error}</span>
              ) : field.parsed ? (
                <span className="text-xs text-ok">✓ filled</span>
              ) : (
                <span className="text-xs text-fg-muted">
                  {field.problem.kind === "missing" ? "missing" : `has ${field.problem.got}`}
                </span>
              )}
              {field.value !== undefined ? (
                <Button
                  size="sm"
                  variant="ghost"
                  className="ml-auto"
                  aria-label={`Undo ${field.key} for ${serviceId}`}
                  onClick={() => actions.clearFix(serviceId, field.key)}
                >
                  Undo
                </Button>
              ) : null}
            </>
          );
        }}
      />
    </section>
  );
}

/** The services this change keeps on the version they run now, each with a way to let it move again. */
export function PinnedSection({
  pins,
  onUnpin,
}: {
  pins: readonly string[];
  onUnpin: (serviceIds: readonly string[]) => void;
}) {
  return (
    <section aria-labelledby="pinned-heading" className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id="pinned-heading" className="text-sm font-semibold">
          Kept on their current version ({formatCount(pins.length)})
        </h3>
        <Button size="sm" variant="ghost" onClick={() => onUnpin(pins)}>
          Move them too
        </Button>
      </div>
      <p className="text-sm text-fg-muted">
        Saving gives each of these services its own assignment at the version it runs now, so it
        doesn&apos;t move and doesn&apos;t block. The services table marks them as pinned. Remove
        the pin there once a service is fixed.
      </p>
      <WindowedList
        items={pins}
        label="Kept on their current version"
        rowKey={(id) => id}
        renderRow={(id) => (
          <>
            <span className="font-mono text-sm">{id}</span>
            <Button
              size="sm"
              variant="ghost"
              className="ml-auto"
              aria-label={`Move ${id} with the change`}
              onClick={() => onUnpin([id])}
            >
              Move it
            </Button>
          </>
        )}
      />
    </section>
  );
}
