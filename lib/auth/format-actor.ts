// How an author reads in tables: the person's email, without the subject's prefix.

/** `user:ada@example.com` → `ada@example.com`; machine subjects stay as they are. */
export function formatActor(subject: string): string {
  return subject.startsWith("user:") ? subject.slice("user:".length) : subject;
}
