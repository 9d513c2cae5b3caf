"use client";
// One list of the Access page (people, API tokens): its header button opens the dialog that adds one, and each
// row has its own actions.
import { useState, type ComponentType } from "react";
import { Button } from "@/components/ui/button";
import { QueryTableCard, type QueryTableCardProps } from "@/components/ui/query-table-card";

export function AccessListCard<Item>({
  addLabel,
  AddDialog,
  ...card
}: Omit<QueryTableCardProps<Item>, "actions" | "actionsColumn"> & {
  /** The header button's text, e.g. "Add person". */
  addLabel: string;
  AddDialog: ComponentType<{ open: boolean; onOpenChange: (open: boolean) => void }>;
}) {
  const [adding, setAdding] = useState(false);
  return (
    <>
      <QueryTableCard
        {...card}
        actionsColumn
        actions={
          <Button variant="primary" onClick={() => setAdding(true)}>
            {addLabel}
          </Button>
        }
      />
      <AddDialog open={adding} onOpenChange={setAdding} />
    </>
  );
}
