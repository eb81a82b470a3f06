/**
 * The CRM stand-in's page: every activity it received, newest first, as the CRM record would show
 * it (agent, product, transaction, amount, status, timestamp), and how often each was delivered.
 */
import type { CrmActivity } from "./server";

const escape = (value: unknown): string =>
  (typeof value === "string" || typeof value === "number" ? String(value) : "").replace(
    /[&<>"']/g,
    (ch) => `&#${ch.charCodeAt(0)};`,
  );

function row(a: CrmActivity): string {
  const act = (a.body.activity ?? {}) as Record<string, unknown>;
  const pay = (a.body.payment ?? {}) as Record<string, unknown>;
  const why = pay.reason ? ` (${escape(pay.reason)})` : "";
  return `<tr><td>${escape(act.timestamp)}</td><td>${escape(act.agent)}</td><td>${escape(act.product_name)}</td>
<td><code>${escape(act.transaction_id)}</code></td><td>${escape(act.amount_charged)}</td>
<td>${escape(act.payment_status)}${why}</td><td>${a.deliveries}</td></tr>`;
}

export function activitiesPage(activities: CrmActivity[], attempts: number): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CRM stand-in</title>
<meta http-equiv="refresh" content="5">
<style>body{font:15px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}
td,th{border-bottom:1px solid #ddd;padding:.4rem .8rem;text-align:left}</style></head><body>
<h1>CRM stand-in</h1><p>${activities.length} payment activities received (${attempts} deliveries in all). Refreshes every 5 s.</p>
<table><thead><tr><th>Timestamp (UTC)</th><th>Agent</th><th>Product name</th><th>Transaction ID</th>
<th>Amount charged</th><th>Payment status</th><th>Deliveries</th></tr></thead>
<tbody>${activities.map(row).join("")}</tbody></table></body></html>`;
}
