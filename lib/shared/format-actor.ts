// How a person or machine that wrote something reads, everywhere the console or an error message shows it.

/** `user:ada@example.com` → `ada@example.com` (a person is their email); machine subjects stay as they are. */
export function formatActor(subject: string): string {
  return subject.startsWith("user:") ? subject.slice("user:".length) : subject;
}
