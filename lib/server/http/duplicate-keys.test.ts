import { describe, expect, it } from "vitest";
import { duplicateKey } from "./duplicate-keys";

describe("duplicateKey", () => {
  it("finds a key given twice in one object, at any depth, with its path", () => {
    expect(duplicateKey('{"model_version":"1.0.0","model_version":"2.0.0"}')).toBe("model_version");
    expect(
      duplicateKey(
        '{"service_updates":[{"service_id":"a","static_features":{}},' +
          '{"service_id":"b","static_features":{"route":"x","stops":3,"route":"y"}}]}',
      ),
    ).toBe("service_updates.1.static_features.route");
    expect(duplicateKey('[1, {"a": [{"b": 1}, {"b": 2, "b": 3}]}]')).toBe("1.a.1.b");
  });

  it("compares keys as JSON reads them: an escaped spelling of the same key is the same key", () => {
    expect(duplicateKey('{"status":"active","st\\u0061tus":"archived"}')).toBe("status");
    expect(duplicateKey('{"a\\"b":1,"a\\"b":2}')).toBe('a"b');
  });

  it("accepts the same key in different objects, and keys that only look alike", () => {
    for (const text of [
      '{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}',
      '{"a":"a","b":"\\"a\\":","c":["a","a"]}',
      '{"a":{},"b":[],"c":[{}],"d":{"e":{}}}',
      '{"":1,"x":{"":2}}',
      '"just a string"',
      "[]",
      "42",
      '{"metadata":{"model_version":"1","nested":{"model_version":"2"}},"model_version":"3"}',
    ])
      expect(duplicateKey(text), text).toBeNull();
  });

  it("finds an empty key given twice", () => {
    expect(duplicateKey('{"x":{"":1,"":2}}')).toBe("x.");
  });
});
