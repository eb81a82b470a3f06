/**
 * Stripe's request encoding: application/x-www-form-urlencoded with bracket keys
 * (`card[number]`, `metadata[k]`, `list[0]` or `list[]`), decoded to nested objects and arrays.
 * Also the one place that decides which fields are card data, so logs can redact them.
 */

export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

export class FormError extends Error {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
  }
}

/** Flat key/value pairs in request order; repeated keys are kept (for `list[]`). */
export function parseFormPairs(body: string): [string, string][] {
  return [...new URLSearchParams(body)];
}

/** `a[b][0]` → ["a", "b", "0"]; `a[]` → ["a", ""] (append). Throws on a malformed key. */
export function splitKey(key: string): string[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match?.[1]) throw new FormError(`Invalid parameter name: ${key}`, key);
  const rest = match[2] ?? "";
  return [match[1], ...[...rest.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? "")];
}

/** Decodes a form body (or its pairs) into nested objects; objects keyed 0..n-1 become arrays. */
export function parseForm(body: string | [string, string][]): FormObject {
  const root: FormObject = {};
  const pairs = typeof body === "string" ? parseFormPairs(body) : body;
  for (const [key, value] of pairs) assign(root, splitKey(key), value, key);
  return arraysFromIndexedObjects(root) as FormObject;
}

function assign(root: FormObject, path: string[], value: string, key: string): void {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const part = path[i] === "" ? String(Object.keys(node).length) : (path[i] ?? "");
    const next = node[part] ?? {};
    if (typeof next === "string" || Array.isArray(next)) {
      throw new FormError(`Invalid hash: ${key} conflicts with an earlier value`, key);
    }
    node[part] = next;
    node = next;
  }
  const last = path[path.length - 1] ?? "";
  const slot = last === "" ? String(Object.keys(node).length) : last;
  if (typeof node[slot] === "object")
    throw new FormError(`Invalid string: ${key} conflicts with a hash`, key);
  node[slot] = value;
}

function arraysFromIndexedObjects(value: FormValue): FormValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted: FormObject = {};
  for (const k of keys) converted[k] = arraysFromIndexedObjects(value[k] ?? "");
  const isList = keys.length > 0 && keys.every((k, i) => k === String(i));
  return isList ? keys.map((k) => converted[k] ?? "") : converted;
}

/** Anything under `card[...]` is cardholder data (number, CVC, expiry) and never leaves the handler. */
export function isCardField(key: string): boolean {
  return key.startsWith("card[");
}

/** The flat form with card fields replaced, safe to keep in a request log. */
export function redactForm(pairs: [string, string][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of pairs) out[key] = isCardField(key) ? "[redacted]" : value;
  return out;
}
