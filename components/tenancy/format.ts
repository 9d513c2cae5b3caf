// How times and actors read in tables: short, absolute, in the viewer's locale.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatWhen(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** `user:ada@example.com` → `ada@example.com`; machine subjects stay as they are. */
export function formatActor(subject: string): string {
  return subject.startsWith("user:") ? subject.slice("user:".length) : subject;
}
