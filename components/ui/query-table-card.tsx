// A card that lists what one query answers, as a table labelled by the card's title: loading and errors in the
// table's place, `empty` when there is nothing yet.
import type { ReactNode } from "react";
import { Card, CardHeader } from "./card";
import { QueryState, type QueryLike } from "./states";
import { Table, Th } from "./table";

type TableColumn = string | { label: string; className?: string };

export type QueryTableCardProps<Item> = {
  headingId: string;
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  query: QueryLike<{ items: Item[] }>;
  loadingLabel: string;
  empty: ReactNode;
  columns: TableColumn[];
  /** Adds a last column for each row's buttons, named "Actions" for screen readers only. */
  actionsColumn?: boolean;
  /** The table's rows. */
  children: (items: Item[]) => ReactNode;
};

export function QueryTableCard<Item>({
  headingId,
  title,
  description,
  actions,
  query,
  loadingLabel,
  empty,
  columns,
  actionsColumn = false,
  children,
}: QueryTableCardProps<Item>) {
  return (
    <Card>
      <CardHeader id={headingId} title={title} description={description} actions={actions} />
      <QueryState query={query} loadingLabel={loadingLabel}>
        {({ items }) =>
          items.length === 0 ? (
            empty
          ) : (
            <Table aria-labelledby={headingId}>
              <thead>
                <tr>
                  {columns.map((column) =>
                    typeof column === "string" ? (
                      <Th key={column}>{column}</Th>
                    ) : (
                      <Th key={column.label} className={column.className}>
                        {column.label}
                      </Th>
                    ),
                  )}
                  {actionsColumn ? (
                    <Th>
                      <span className="sr-only">Actions</span>
                    </Th>
                  ) : null}
                </tr>
              </thead>
              <tbody>{children(items)}</tbody>
            </Table>
          )
        }
      </QueryState>
    </Card>
  );
}
