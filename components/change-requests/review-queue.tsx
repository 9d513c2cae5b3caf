"use client";
// What awaits the signed-in person's review: the navigation's link with its count, and the /reviews page.
import Link from "next/link";
import { paths } from "@/components/paths";
import { Card, CardBody } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { PageHeader } from "@/components/ui/page-header";
import { QueryState } from "@/components/ui/states";
import { useReviewQueue } from "@/lib/browser/queries/change-requests";
import { ChangeRequestTable } from "./change-request-list";

export function ReviewQueueLink({ active, enabled }: { active: boolean; enabled: boolean }) {
  const queue = useReviewQueue(enabled);
  const count = queue.data?.length ?? 0;
  return (
    <Link
      href={paths.reviews()}
      aria-current={active ? "page" : undefined}
      className={cn("rounded px-2.5 py-1.5 hover:bg-muted", active && "bg-muted font-medium")}
    >
      Reviews{" "}
      <span
        className={cn(
          "ml-0.5 rounded-full px-1.5 py-0.5 text-xs",
          count > 0 ? "bg-accent text-white" : "bg-muted text-fg-muted",
        )}
        aria-label={`${count} awaiting your review`}
      >
        {count}
      </span>
    </Link>
  );
}

export function ReviewQueuePage() {
  const queue = useReviewQueue();
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Reviews" }]}
        title="Awaiting your review"
        description="Change requests you may approve and have not approved as they stand."
      />
      <Card>
        <CardBody>
          <QueryState query={queue} loadingLabel="Loading your review queue…">
            {(items) => (
              <ChangeRequestTable items={items} empty="Nothing awaits your review." showClient />
            )}
          </QueryState>
        </CardBody>
      </Card>
    </>
  );
}
