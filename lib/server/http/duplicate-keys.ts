// A JSON text's first object key given twice in one object. JSON.parse keeps the last value without a word, so
// `{"model_version": "1.0.0", "model_version": "2.0.0"}` would write 2.0.0 while a proxy, a log or a reviewer
// reading the first one sees 1.0.0: request bodies with a repeated key are refused instead (decision 131).
import "server-only";

/** An open object or array, with where it sits in its parent (its key or index there); none at the top. */
type Frame =
  | { kind: "object"; parent?: Frame; at?: string | number; keys: Set<string>; key: string | null }
  | { kind: "array"; parent?: Frame; at?: string | number; index: number };

/** The path of `key` under `frame`, as validation issues write it (`service_updates.2.static_features.route`). */
function pathOf(frame: Frame | undefined, key: string | number): string {
  const parts: (string | number)[] = [key];
  for (let f = frame; f?.at !== undefined; f = f.parent) parts.unshift(f.at);
  return parts.join(".");
}

/**
 * The path of the first key that appears twice in one object (`service_updates.2.static_features.route`), or null.
 * `text` must be valid JSON (run it after JSON.parse accepted it): the scan only tells keys from values and
 * strings from structure. Keys are compared as JSON.parse reads them (`"a"` and `"\u0061"` are the same key).
 */
export function duplicateKey(text: string): string | null {
  const stack: Frame[] = [];
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: find its closing quote, stepping over escapes.
      let j = i + 1;
      let escaped = false;
      for (;;) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) {
          escaped = true;
          j += 2;
        } else if (d === 0x22) break;
        else j++;
      }
      const top = stack[stack.length - 1];
      if (expectKey && top?.kind === "object") {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (top.keys.has(key)) return pathOf(top, key);
        top.keys.add(key);
        top.key = key;
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      // `{` or `[`: a container, under its parent's current key or index (the path is built only for an answer).
      const parent = stack[stack.length - 1];
      const at =
        parent === undefined
          ? undefined
          : parent.kind === "object"
            ? (parent.key ?? "")
            : parent.index;
      stack.push(
        c === 0x7b
          ? { kind: "object", parent, at, keys: new Set(), key: null }
          : { kind: "array", parent, at, index: 0 },
      );
      expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      const top = stack[stack.length - 1];
      if (top?.kind === "object") expectKey = true;
      else if (top?.kind === "array") top.index++;
    }
  }
  return null;
}
