// A table row's link to a key's history; the hidden words name the key, so the rows' links read apart.
import Link from "next/link";
import { paths, type KeyScope } from "@/components/paths";

export function KeyHistoryLink({
  scope,
  assignmentKey,
}: {
  scope: KeyScope;
  assignmentKey: string;
}) {
  return (
    <Link
      className="inline-flex h-8 items-center rounded-md px-2.5 text-sm text-accent hover:bg-muted hover:underline"
      href={paths.history(scope, assignmentKey)}
    >
      History<span className="sr-only"> of key {assignmentKey}</span>
    </Link>
  );
}
