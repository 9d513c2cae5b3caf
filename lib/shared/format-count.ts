// Counts as people read them on every page: "1,429", "3 services", "1 service".
export const formatCount = (n: number) => n.toLocaleString("en-US");

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
