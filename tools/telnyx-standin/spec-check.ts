/**
 * Checks JSON against Telnyx's published OpenAPI spec (../shared/reference/telnyx-openapi.yml):
 * webhook bodies against components.schemas.Call*Event, command bodies against each path's request
 * schema. A small validator for the keywords those schemas use ($ref, type, enum, properties,
 * required, items, allOf/oneOf/anyOf, date-time/uuid). Dev/test only; the spec is never bundled.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export type OpenApiSpec = {
  paths: Record<string, unknown>;
  components: { schemas: Record<string, unknown> };
};
type Schema = Record<string, unknown>;

export const TELNYX_SPEC_PATH = fileURLToPath(
  new URL("../../../shared/reference/telnyx-openapi.yml", import.meta.url),
);

/** The parsed spec, or undefined when the shared reference folder is not present. */
export function loadTelnyxSpec(path = TELNYX_SPEC_PATH): OpenApiSpec | undefined {
  if (!existsSync(path)) return undefined;
  return parse(readFileSync(path, "utf8"), { maxAliasCount: -1 }) as OpenApiSpec;
}

const asObj = (v: unknown): Schema | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Schema) : undefined;

function deref(spec: OpenApiSpec, s: unknown): Schema {
  let cur = asObj(s) ?? {};
  for (let i = 0; i < 20 && typeof cur.$ref === "string"; i++) {
    cur = asObj(spec.components.schemas[cur.$ref.replace("#/components/schemas/", "")]) ?? {};
  }
  return cur;
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

const FORMATS: Record<string, RegExp> = {
  "date-time": /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
};

/** Every way `value` breaks `schema`, as "path: problem" strings; [] when it conforms. */
export function schemaIssues(spec: OpenApiSpec, schema: unknown, value: unknown, at = "$"): string[] {
  const s = deref(spec, schema);
  const issues: string[] = [];
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === "string" ? [s.type] : [];
  const t = typeOf(value);
  if (types.length && !types.includes(t) && !(t === "integer" && types.includes("number"))) {
    return [`${at}: expected ${types.join("|")}, got ${t}`];
  }
  if (Array.isArray(s.enum) && !s.enum.includes(value))
    issues.push(`${at}: ${JSON.stringify(value)} not in enum`);
  const format = typeof s.format === "string" ? FORMATS[s.format] : undefined;
  if (format && typeof value === "string" && !format.test(value))
    issues.push(`${at}: not a ${String(s.format)}`);
  const obj = asObj(value);
  if (obj) {
    for (const name of Array.isArray(s.required) ? (s.required as string[]) : []) {
      if (!(name in obj)) issues.push(`${at}.${name}: required`);
    }
    for (const [name, sub] of Object.entries(asObj(s.properties) ?? {})) {
      if (name in obj) issues.push(...schemaIssues(spec, sub, obj[name], `${at}.${name}`));
    }
  }
  if (Array.isArray(value) && s.items)
    value.forEach((v, i) => issues.push(...schemaIssues(spec, s.items, v, `${at}[${i}]`)));
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) issues.push(...schemaIssues(spec, sub, value, at));
  const alternatives = Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : undefined;
  if (alternatives && !alternatives.some((sub) => schemaIssues(spec, sub, value, at).length === 0)) {
    issues.push(`${at}: matches none of the alternatives`);
  }
  return issues;
}

/** The Call*Event schema whose data.event_type enum names this event type. */
export function eventSchemaFor(spec: OpenApiSpec, eventType: string): Schema | undefined {
  for (const [name, schema] of Object.entries(spec.components.schemas)) {
    if (!/^Call.*Event$/.test(name)) continue;
    const data = deref(spec, asObj(deref(spec, schema).properties)?.data);
    const en = deref(spec, asObj(data.properties)?.event_type).enum;
    if (Array.isArray(en) && en.includes(eventType)) return deref(spec, schema);
  }
  return undefined;
}

/** Issues of a webhook body (the whole envelope) against its event schema. */
export function webhookIssues(spec: OpenApiSpec, body: unknown): string[] {
  const eventType = asObj(asObj(body)?.data)?.event_type;
  const schema = typeof eventType === "string" ? eventSchemaFor(spec, eventType) : undefined;
  if (!schema) return [`no Call*Event schema for ${String(eventType)}`];
  return schemaIssues(spec, schema, body).map((i) => `${String(eventType)} ${i}`);
}

/** The request body schema of a command ("dial" = POST /calls). */
export function commandSchema(spec: OpenApiSpec, action: string): Schema {
  const path = action === "dial" ? "/calls" : `/calls/{call_control_id}/actions/${action}`;
  const post = asObj(asObj(spec.paths[path])?.post);
  const content = asObj(asObj(asObj(post?.requestBody)?.content)?.["application/json"]);
  return deref(spec, content?.schema);
}

/** A resolved sub-schema (e.g. a property's), for comparing types. */
export const resolveSchema = deref;
