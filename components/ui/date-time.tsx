// A timestamp people can read ("28 Nov 2025, 17:42"), with the exact ISO value in a tooltip and <time dateTime>.
const formatter = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatter.format(date);
}

export function DateTime({ value, className }: { value: string; className?: string }) {
  return (
    <time dateTime={value} title={value} className={className}>
      {formatDateTime(value)}
    </time>
  );
}
