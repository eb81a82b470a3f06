// zod's generic English becomes plain words, field by field; a schema's own message stays as
// written; unknown keys are named one by one; a missing field "is required".
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldErrorsOf } from "../../src/api/field-messages";

const errorsOf = (schema: z.ZodType, input: unknown, prefix = "") => {
  const result = schema.safeParse(input);
  if (result.success) throw new Error("expected a failure");
  return fieldErrorsOf(result.error, input, prefix);
};

describe("fieldErrorsOf", () => {
  const schema = z
    .object({
      name: z.string().min(1).max(5),
      count: z.int().min(2).max(9),
      amount: z.number().positive(),
      flag: z.boolean(),
      tags: z.array(z.string()).min(1),
      kind: z.enum(["a", "b"]),
      link: z.url(),
      code: z.string().regex(/^[a-z]+$/, "must be lowercase letters"),
      mode: z.discriminatedUnion("m", [z.object({ m: z.literal("x") }), z.object({ m: z.literal("y") })]),
    })
    .strict();

  it("rewords every generic message and keeps the schema's own", () => {
    const input = {
      name: "",
      count: 2.5,
      amount: 0,
      flag: "yes",
      tags: [],
      kind: "c",
      link: "nope",
      code: "ABC",
      mode: { m: "z" },
      extra: 1,
      more: 2,
    };
    expect(errorsOf(schema, input)).toEqual([
      { field: "name", message: "must not be empty" },
      { field: "count", message: "must be a whole number" },
      { field: "amount", message: "must be more than 0" },
      { field: "flag", message: "must be true or false" },
      { field: "tags", message: "must not be empty" },
      { field: "kind", message: "must be one of a, b" },
      { field: "link", message: "must be a URL like https://example.com/file" },
      { field: "code", message: "must be lowercase letters" },
      { field: "mode.m", message: "must be one of x, y" },
      { field: "extra", message: "is not a known field" },
      { field: "more", message: "is not a known field" },
    ]);
  });

  it("says what is missing, and names limits", () => {
    expect(errorsOf(schema.pick({ name: true, mode: true }), {})).toEqual([
      { field: "name", message: "is required" },
      { field: "mode", message: "is required" },
    ]);
    expect(
      errorsOf(z.object({ name: z.string().max(5), count: z.int().max(9) }), { name: "abcdefg", count: 10 }),
    ).toEqual([
      { field: "name", message: "must be at most 5 characters long" },
      { field: "count", message: "must be at most 9" },
    ]);
  });

  it("prefixes nested paths, and calls the root 'body'", () => {
    expect(errorsOf(z.object({ a: z.object({ b: z.int() }) }), { a: { b: "x" } }, "config")).toEqual([
      { field: "config.a.b", message: "must be a number" },
    ]);
    expect(errorsOf(z.object({}), [])).toEqual([{ field: "body", message: "must be a JSON object" }]);
  });
});
