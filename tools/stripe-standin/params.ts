/**
 * Typed reads of a decoded Stripe form, refusing bad input the way Stripe does
 * (parameter_missing, parameter_invalid_integer, parameter_unknown, ...), by throwing ParamError.
 */
import type { FormObject, FormValue } from "./form";
import { badParam, type Reply } from "./objects";

export class ParamError extends Error {
  constructor(readonly reply: Reply) {
    super("invalid parameter");
  }
}

function fail(message: string, param: string, code: string): never {
  throw new ParamError(badParam(message, param, code));
}

export function rejectUnknownParams(form: FormObject, allowed: readonly string[]): void {
  for (const key of Object.keys(form)) {
    if (!allowed.includes(key)) fail(`Received unknown parameter: ${key}`, key, "parameter_unknown");
  }
}

export function readString(form: FormObject, key: string, required: true): string;
export function readString(form: FormObject, key: string, required?: false): string | undefined;
export function readString(form: FormObject, key: string, required = false): string | undefined {
  const value: FormValue | undefined = form[key];
  if (value === undefined)
    return required ? fail(`Missing required param: ${key}.`, key, "parameter_missing") : undefined;
  if (typeof value !== "string") fail(`Invalid string: ${key}`, key, "parameter_invalid_string");
  return value;
}

/** A non-negative integer (amounts are integer minor units, as in Stripe). */
export function readInteger(form: FormObject, key: string, required = false): number | undefined {
  const raw = required ? readString(form, key, true) : readString(form, key);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) fail(`Invalid integer: ${raw}`, key, "parameter_invalid_integer");
  return Number(raw);
}

export function readBoolean(form: FormObject, key: string): boolean | undefined {
  const raw = readString(form, key);
  if (raw === undefined) return undefined;
  if (raw !== "true" && raw !== "false") fail(`Invalid boolean: ${raw}`, key, "parameter_invalid");
  return raw === "true";
}

export function readObject(form: FormObject, key: string): FormObject | undefined {
  const value = form[key];
  if (value === undefined || value === "") return undefined;
  if (typeof value === "string" || Array.isArray(value))
    fail(`Invalid hash: ${key}`, key, "parameter_invalid");
  return value;
}

export function readStringList(form: FormObject, key: string): string[] | undefined {
  const value = form[key];
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) =>
    typeof item === "string" ? item : fail(`Invalid array: ${key}`, key, "parameter_invalid"),
  );
}

/** Stripe metadata: string values only. */
export function readMetadata(form: FormObject): Record<string, string> {
  const meta = readObject(form, "metadata") ?? {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta)) {
    if (typeof v !== "string") fail(`Invalid metadata value for ${k}`, `metadata[${k}]`, "parameter_invalid");
    out[k] = v;
  }
  return out;
}
