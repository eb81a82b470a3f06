/**
 * JSON Merge Patch (RFC 7396): how a PATCH body's part of a JSON document changes the stored one.
 * Objects merge key by key, recursively; `null` removes a key; anything else (arrays included)
 * replaces the value. Pure: returns a new value and never changes its inputs.
 */
export type JsonObject = Record<string, unknown>;

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return patch;
  const result: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}
