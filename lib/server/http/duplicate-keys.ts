// A JSON text's first object key given twice in one object. JSON.parse keeps the last value without a word, so
// `{"model_version": "1.0.0", "model_version": "2.0.0"}` would write 2.0.0 while a proxy, a log or a reviewer
// reading the first one sees 1.0.0: request bodies with a repeated key are refused instead (decision 131).
import "server-only";

type Frame =
  | { kind: "object"; path: string; keys: Set<string>; key: string | null }
  | { kind: "array"; path: string; index: number };

/** The child path of `key` (an object key or an array index) under `path`, as validation issues write it. */
function child(path: string, key: string | number): string {
  return path === "" ? String(key) : `${path}.${key}`;
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
        if (top.keys.has(key)) return child(top.path, key);
        top.keys.add(key);
        top.key = key;
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      // `{` or `[`: a container, under its parent's current key or index.
      const parent = stack[stack.length - 1];
      const path =
        parent === undefined
          ? ""
          : parent.kind === "object"
            ? child(parent.path, parent.key ?? "")
            : child(parent.path, parent.index);
      stack.push(
        c === 0x7b
          ? { kind: "object", path, keys: new Set(), key: null }
          : { kind: "array", path, index: 0 },
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
