/**
 * `npm run billing -- <command>`: drives the billing-service stand-in of a running `npm start`
 * (its URL from .data/local-stack.json, or --standin):
 *   list                          hand-offs received (one per invoice, redeliveries counted)
 *   pay <invoice_id> [--amount N] the service's signed "invoice.paid" callback to Meterline
 *   fail-next [--status 503] [--count 3]   answer the next deliveries with an error
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const USAGE =
  "usage: billing list | pay <invoice_id> [--amount öre] | fail-next [--status 503] [--count N] [--standin URL]";

function standinUrl(given: string | undefined): string {
  if (given) return given;
  try {
    const stack = JSON.parse(readFileSync(path.resolve(".data/local-stack.json"), "utf8")) as {
      billing?: { url?: string };
    };
    if (stack.billing?.url) return stack.billing.url;
  } catch {
    // fall through
  }
  throw new Error("no billing stand-in found: start the stack with `npm start`, or pass --standin URL");
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      amount: { type: "string" },
      status: { type: "string" },
      count: { type: "string" },
      standin: { type: "string" },
    },
  });
  const [command, arg] = positionals;
  const base = standinUrl(values.standin);
  const post = (p: string, body: unknown) =>
    fetch(`${base}${p}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  let res: Response;
  if (command === "list") res = await fetch(`${base}/_standin/handoffs`);
  else if (command === "pay" && arg)
    res = await post("/_standin/pay", {
      invoice_id: arg,
      amount: values.amount === undefined ? undefined : Number(values.amount),
    });
  else if (command === "fail-next")
    res = await post("/_standin/fail-next", {
      status: Number(values.status ?? 503),
      count: Number(values.count ?? 1),
    });
  else {
    console.error(USAGE);
    process.exit(2);
  }
  const text = await res.text();
  console.log(JSON.stringify(JSON.parse(text), null, 2));
  if (!res.ok) process.exit(1);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
