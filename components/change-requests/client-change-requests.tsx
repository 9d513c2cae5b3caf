"use client";
// A client's change requests, filtered by status or "needs my review".
import { useState } from "react";
import { paths } from "@/components/paths";
import { Card, CardBody } from "@/components/ui/card";
import { Label, Select } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { QueryState } from "@/components/ui/states";
import {
  useChangeRequests,
  type ChangeRequestFilters,
} from "@/lib/browser/queries/change-requests";
import { ChangeRequestTable } from "./change-request-list";

const FILTERS: Record<string, { label: string; filters: ChangeRequestFilters }> = {
  all: { label: "All", filters: {} },
  mine: { label: "Needs my review", filters: { needs_review_by: "me" } },
  open: { label: "Open", filters: { status: "open" } },
  approved: { label: "Approved", filters: { status: "approved" } },
  stale: { label: "Stale", filters: { status: "stale" } },
  applied: { label: "Applied", filters: { status: "applied" } },
};

export function ClientChangeRequests({ clientId }: { clientId: string }) {
  const [filter, setFilter] = useState("all");
  const requests = useChangeRequests(clientId, FILTERS[filter]!.filters);
  return (
    <>
      <PageHeader
        crumbs={[
          { label: "Clients", href: paths.clients() },
          { label: clientId, href: paths.client(clientId) },
          { label: "Change requests" },
        ]}
        title="Change requests"
        description="Changes saved for review: each shows what it moves and what would block it."
      />
      <Card>
        <CardBody className="space-y-4">
          <div className="flex items-center gap-2">
            <Label htmlFor="cr-filter">Show</Label>
            <Select id="cr-filter" value={filter} onChange={(e) => setFilter(e.target.value)}>
              {Object.entries(FILTERS).map(([value, f]) => (
                <option key={value} value={value}>
                  {f.label}
                </option>
              ))}
            </Select>
          </div>
          <QueryState query={requests} loadingLabel="Loading change requests…">
            {(page) => <ChangeRequestTable items={page.items} empty="No change requests here." />}
          </QueryState>
        </CardBody>
      </Card>
    </>
  );
}
