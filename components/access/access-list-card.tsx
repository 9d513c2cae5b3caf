"use client";
// One list of the Access page (people, API tokens): its header button opens the dialog that adds one, and each
// row has its own actions.
import { useState, type ComponentType } from "react";
import { Button } from "@/components/ui/button";
import { QueryTableCard, type QueryTableCardProps } from "@/components/ui/query-table-card";

type DialogComponent = ComponentType<{ open: boolean; onOpenChange: (open: boolean) => void }>;

export function AccessListCard<Item>({
  addLabel,
  AddDialog,
  more,
  ...card
}: Omit<QueryTableCardProps<Item>, "actions" | "actionsColumn"> & {
  /** The header button's text, e.g. "Add person". */
  addLabel: string;
  AddDialog: DialogComponent;
  /** A second, less common way to add one (e.g. adopting a legacy token), beside the main button. */
  more?: { label: string; Dialog: DialogComponent };
}) {
  const [adding, setAdding] = useState(false);
  const [addingMore, setAddingMore] = useState(false);
  return (
    <>
      <QueryTableCard
        {...card}
        actionsColumn
        actions={
          <div className="flex gap-2">
            {more ? <Button onClick={() => setAddingMore(true)}>{more.label}</Button> : null}
            <Button variant="primary" onClick={() => setAdding(true)}>
              {addLabel}
            </Button>
          </div>
        }
      />
      <AddDialog open={adding} onOpenChange={setAdding} />
      {more ? <more.Dialog open={addingMore} onOpenChange={setAddingMore} /> : null}
    </>
  );
}
