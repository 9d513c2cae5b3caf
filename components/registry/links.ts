// Console URLs of registry pages (each segment encoded, as the ids come from people).
export const modelHref = (modelId: string) => `/models/${encodeURIComponent(modelId)}`;
export const versionHref = (modelId: string, version: string, from?: string | null) =>
  `/models/${encodeURIComponent(modelId)}/versions/${encodeURIComponent(version)}${from ? `?from=${encodeURIComponent(from)}` : ""}`;
