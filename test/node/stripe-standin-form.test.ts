/** Stripe's form encoding as the stand-in decodes it, and what its request log may keep. */
import { describe, expect, it } from "vitest";
import { FormError, parseForm, parseFormPairs, redactForm } from "../../tools/stripe-standin/form";

describe("parseForm", () => {
  it("nests bracket keys", () => {
    expect(
      parseForm("card[number]=4242&payment_method_options[card][moto]=true&metadata[call]=a%20b"),
    ).toEqual({
      card: { number: "4242" },
      payment_method_options: { card: { moto: "true" } },
      metadata: { call: "a b" },
    });
  });

  it("reads both indexed and empty-bracket lists", () => {
    expect(parseForm("types[0]=card&types[1]=link")).toEqual({ types: ["card", "link"] });
    expect(parseForm("types[]=card&types[]=link")).toEqual({ types: ["card", "link"] });
  });

  it("decodes what the Stripe SDK sends (brackets unencoded, + and %-escapes)", () => {
    expect(parseForm("description=Advice+line%3A+1%21&billing_details[address][line1]=42")).toEqual({
      description: "Advice line: 1!",
      billing_details: { address: { line1: "42" } },
    });
    expect(parseForm("metadata%5Bk%5D=v")).toEqual({ metadata: { k: "v" } });
  });

  it("refuses a key used both as a value and as a hash", () => {
    expect(() => parseForm("card=x&card[number]=1")).toThrow(FormError);
    expect(() => parseForm("card[number]=1&card=x")).toThrow(FormError);
    expect(() => parseForm("[x]=1")).toThrow(FormError);
  });
});

describe("redactForm", () => {
  it("hides every card field and keeps the rest", () => {
    const pairs = parseFormPairs(
      "type=card&card[number]=4242424242424242&card[cvc]=123&card[exp_month]=12&metadata[call]=c",
    );
    expect(redactForm(pairs)).toEqual({
      type: "card",
      "card[number]": "[redacted]",
      "card[cvc]": "[redacted]",
      "card[exp_month]": "[redacted]",
      "metadata[call]": "c",
    });
  });
});
