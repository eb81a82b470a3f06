/**
 * The console's inline script (plain browser JavaScript, no build step): signs in with the agent
 * token (kept in sessionStorage, sent only as a header or WebSocket subprotocol, never in a URL),
 * looks for the agent's call every 2 s while idle, follows a call over its live WebSocket and
 * reconnects with backoff after a drop (the first frame after a reconnect is the call as it is now,
 * so the view resumes), and sends, follows and cancels payment requests; in assisted mode it asks
 * for each card field and for the charge (one action per click). It never sees a digit.
 */
import type { FailureReason } from "../secure-payments/vocabulary";

/** What the agent reads for each way a payment can fail. */
export const REASON_TEXT = {
  amount_rejected: "the caller rejected the amount",
  declined: "the card was declined",
  too_many_tries: "too many tries",
  timed_out: "timed out (no key pressed for 60 s)",
  cancelled_by_caller: "cancelled by the caller",
  cancelled_by_agent: "cancelled by you",
  caller_hung_up: "the caller hung up",
  agent_hung_up: "the agent hung up",
  processor_unavailable: "the payment service could not be reached",
  not_isolated: "the line could not be made private",
} satisfies Record<FailureReason, string>;

const script = String.raw`
"use strict";
const REASONS = __REASONS__;
const STAGES = { isolating: "Making the line private…", amount: "The caller is confirming the amount", card: "The caller is keying their card", charging: "Charging the card…", releasing: "Charging the card…", announcing: "Telling the caller the result", rejoining: "Bringing the caller back to you", farewell: "The caller hears why the call ends", finished: "" };
const $ = (id) => document.getElementById(id);
const show = (id, on) => { $(id).hidden = !on; };
const text = (id, t) => { $(id).textContent = t; };
const s = { token: sessionStorage.getItem("meterline.agentToken"), me: null, callId: null, frame: null, frameAt: 0, ws: null, retries: 0, poll: null, payKey: null, recordOf: null };

async function call(path, init) {
  init = init || {};
  const headers = Object.assign({ authorization: "Bearer " + s.token }, init.body ? { "content-type": "application/json" } : {}, init.headers || {});
  const res = await fetch("/api/v1" + path, Object.assign({}, init, { headers }));
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  return { status: res.status, body };
}

function money(minor, currency, exponent) {
  const digits = String(Math.abs(minor)).padStart(exponent + 1, "0");
  const num = exponent ? digits.slice(0, -exponent) + "." + digits.slice(-exponent) : digits;
  return symbolOf(currency) + num;
}
function symbolOf(currency) {
  try {
    const part = new Intl.NumberFormat(undefined, { style: "currency", currency: currency.toUpperCase() }).formatToParts(0).find((p) => p.type === "currency");
    return part ? part.value : currency.toUpperCase() + " ";
  } catch (e) { return currency.toUpperCase() + " "; }
}
/** "12.50" → 1250 in a 2-decimal currency; null when it is not a plain amount with at most that many decimals. */
function toMinor(typed, exponent) {
  const m = /^\s*(\d+)(?:[.,](\d*))?\s*$/.exec(typed);
  if (!m) return null;
  const frac = m[2] || "";
  if (frac.length > exponent) return null;
  return Number(m[1]) * Math.pow(10, exponent) + Number((frac + "0".repeat(exponent)).slice(0, exponent) || "0");
}
function clock(sec) { const m = Math.floor(sec / 60), r = sec % 60; return m + ":" + String(r).padStart(2, "0"); }

// ---- sign in ----
async function signIn(token) {
  s.token = token;
  const r = await call("/agents/me");
  if (r.status !== 200) {
    s.token = null;
    sessionStorage.removeItem("meterline.agentToken");
    text("token-error", r.status === 401 || r.status === 403 ? "That is not an agent token." : "Could not sign in (" + r.status + ").");
    show("signin", true); show("desk", false);
    return;
  }
  sessionStorage.setItem("meterline.agentToken", token);
  s.me = r.body;
  text("agent-name", s.me.name); text("agent-line", s.me.line_name);
  text("token-error", "");
  show("signin", false); show("desk", true);
  lookForCall();
}
$("signin-form").addEventListener("submit", (e) => { e.preventDefault(); const t = $("token").value.trim(); if (!t) { text("token-error", "Paste your agent token."); return; } void signIn(t); });
$("signout").addEventListener("click", () => { sessionStorage.removeItem("meterline.agentToken"); location.reload(); });

// ---- the current call ----
async function lookForCall() {
  clearTimeout(s.poll);
  if (!s.token || s.callId) return;
  const r = await call("/agents/me/call");
  if (r.status === 200 && r.body && r.body.call_id) { follow(r.body.call_id); return; }
  if (r.status === 401) { location.reload(); return; }
  idle();
  s.poll = setTimeout(lookForCall, 2000);
}
function idle() { show("no-call", true); show("call", false); text("connection", ""); }

function follow(callId) {
  s.callId = callId;
  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/v1/calls/" + encodeURIComponent(callId) + "/live/stream";
  const ws = new WebSocket(url, ["meterline.live", "meterline.bearer." + s.token]);
  s.ws = ws;
  ws.onopen = () => { s.retries = 0; text("connection", ""); };
  ws.onmessage = (m) => { if (m.data === "pong") return; render(JSON.parse(m.data)); };
  ws.onclose = () => {
    if (s.ws !== ws) return;
    s.ws = null;
    if (!s.frame || s.frame.call !== callId || s.frame.ended) { s.callId = null; s.frame = null; lookForCall(); return; }
    // Dropped mid-call: reconnect; the first frame after it is the call as it is now.
    s.retries += 1;
    text("connection", "Connection lost, reconnecting…");
    setTimeout(() => { if (s.callId === callId) follow(callId); }, Math.min(8000, 500 * Math.pow(2, s.retries - 1)));
  };
}

function render(f) {
  s.frame = f; s.frameAt = Date.now();
  if (f.ended) { if (s.ws) s.ws.close(); show("pay-form", false); return; }
  show("no-call", false); show("call", true);
  text("call-caller", f.caller); text("call-line", f.line.name);
  tick();
  const d = f.detail || {};
  $("pay-symbol").textContent = d.pay_currency ? symbolOf(d.pay_currency) : "";
  $("open-pay").disabled = !d.pay_enabled || d.payment_status === "in_progress" || !f.talk;
  renderPayment(d);
}
function tick() {
  const f = s.frame;
  if (!f || !f.talk) { text("call-talk", "0:00"); show("call-paused", false); return; }
  const extra = f.talk.paused ? 0 : Math.floor((Date.now() - s.frameAt) / 1000);
  text("call-talk", clock(f.talk.seconds + extra));
  show("call-paused", f.talk.paused);
}
setInterval(tick, 1000);

// ---- the payment ----
const FIELDS = { number: "card number", expiry: "expiry", cvc: "CVC", zip: "ZIP / postal code" };
function renderPayment(d) {
  const assisted = d.payment_mode === "assisted";
  if (!d.payment_id) { show("payment", false); return; }
  show("payment", true);
  const exp = d.pay_currency_exponent == null ? 2 : d.pay_currency_exponent;
  text("payment-what", "for " + d.payment_item + ", " + money(d.payment_amount, d.payment_currency, exp));
  for (const li of document.querySelectorAll("#steps li")) {
    const st = d["step_" + li.dataset.step] || "waiting";
    li.dataset.status = st;
    li.querySelector(".status").textContent = st === "complete" ? "complete ✓" : assisted && st === "entering" ? "entering…" : assisted && st === "failed" ? "failed — ask again" : st;
  }
  text("payment-stage", assisted && d.payment_stage === "card" ? (d.payment_field ? "The caller is entering the " + (FIELDS[d.payment_field] || d.payment_field) + "…" : "Ask the caller for a field") : STAGES[d.payment_stage] || "");
  show("pay-cancel", d.payment_status === "in_progress" && (d.payment_stage === "isolating" || (d.payment_stage === "amount" && d.step_amount !== "complete") || (assisted && d.payment_stage === "card")));
  renderAssist(d, assisted);
  const out = $("outcome");
  if (d.payment_status === "succeeded") { out.className = "ok"; out.textContent = "Payment successful: " + d.payment_card_brand + " ending " + d.payment_card_last4; show("outcome", true); }
  else if (d.payment_status === "failed") { out.className = "failed"; out.textContent = "Payment failed: " + (REASONS[d.payment_reason] || d.payment_reason); show("outcome", true); }
  else show("outcome", false);
  if (d.payment_recorded && s.recordOf !== d.payment_id) void showRecord(d.payment_id);
  if (!d.payment_recorded) { show("record", false); s.recordOf = null; }
}
/** Assisted mode: which fields the agent may ask for now, and whether the card can be charged. */
function renderAssist(d, assisted) {
  const on = assisted && d.payment_status === "in_progress";
  show("assist", on);
  if (!on) return;
  const free = d.payment_stage === "card" && !d.payment_field;
  for (const b of document.querySelectorAll("#assist button[data-step]")) {
    const step = b.dataset.step;
    if (step === "charge") { b.disabled = !free || !Object.keys(FIELDS).every((f) => d["step_" + f] === "complete"); continue; }
    const st = d["step_" + step];
    b.textContent = (st === "complete" || st === "failed" ? "Re-request " : "Request ") + b.dataset.name;
    b.disabled = !free || (step === "cvc" && d.step_number !== "complete");
  }
  text("assist-note", d.payment_decline_code ? "Declined (" + d.payment_decline_code + "): ask the caller for the card again." : "");
}
for (const b of document.querySelectorAll("#assist button[data-step]"))
  b.addEventListener("click", async () => {
    const d = (s.frame && s.frame.detail) || {};
    if (!d.payment_id || !s.callId) return;
    b.disabled = true;
    text("assist-error", "");
    const r = await call("/calls/" + encodeURIComponent(s.callId) + "/payment-requests/" + encodeURIComponent(d.payment_id) + "/steps", { method: "POST", headers: { "idempotency-key": crypto.randomUUID() }, body: JSON.stringify({ step: b.dataset.step }) });
    if (r.status !== 200) text("assist-error", (r.body && (r.body.detail || r.body.title)) || "Could not send (" + r.status + ").");
  });
async function showRecord(id) {
  s.recordOf = id;
  const r = await call("/secure-payments/" + encodeURIComponent(id));
  if (r.status !== 200) { s.recordOf = null; return; }
  const rec = r.body, dl = $("record");
  const exp = (s.frame && s.frame.detail && s.frame.detail.pay_currency_exponent != null) ? s.frame.detail.pay_currency_exponent : 2;
  const rows = [["Transaction", rec.id], ["Product", rec.item], ["Amount", money(rec.amount, rec.currency, exp) + " " + rec.currency.toUpperCase()], ["Status", rec.status === "succeeded" ? "Success" : "Failed (" + (REASONS[rec.reason] || rec.reason) + ")"], ["Card", rec.card_brand ? rec.card_brand + " •••• " + rec.card_last4 : "—"], ["Agent", rec.agent_name || "—"], ["Time", new Date(rec.finished_at).toLocaleString()]];
  dl.replaceChildren();
  for (const [k, v] of rows) { const dt = document.createElement("dt"); dt.textContent = k; const dd = document.createElement("dd"); dd.textContent = v; dd.dataset.field = k.toLowerCase(); dl.append(dt, dd); }
  show("record", true);
}

function fieldErrors(errs) {
  for (const id of ["pay-item-error", "pay-amount-error", "pay-form-error"]) text(id, "");
  for (const e of errs) text(e.field === "item" ? "pay-item-error" : e.field === "amount" || e.field === "currency" ? "pay-amount-error" : "pay-form-error", e.message);
}
$("open-pay").addEventListener("click", () => {
  $("actions").open = false;
  s.payKey = crypto.randomUUID();
  $("pay-item").value = ""; $("pay-amount").value = ""; fieldErrors([]);
  show("pay-form", true); $("pay-item").focus();
});
$("pay-close").addEventListener("click", () => { show("pay-form", false); s.payKey = null; });
$("pay-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const d = (s.frame && s.frame.detail) || {};
  const exp = d.pay_currency_exponent == null ? 2 : d.pay_currency_exponent;
  const item = $("pay-item").value.trim();
  const amount = toMinor($("pay-amount").value, exp);
  const errs = [];
  if (!item) errs.push({ field: "item", message: "Name what the caller pays for." });
  if (amount === null || amount <= 0) errs.push({ field: "amount", message: exp ? "Enter an amount like 12.50." : "Enter a whole amount." });
  else if (d.pay_max_amount && amount > d.pay_max_amount) errs.push({ field: "amount", message: "At most " + money(d.pay_max_amount, d.pay_currency, exp) + " on this line." });
  fieldErrors(errs);
  if (errs.length || !s.callId) return;
  $("pay-send").disabled = true;
  const r = await call("/calls/" + encodeURIComponent(s.callId) + "/payment-requests", { method: "POST", headers: { "idempotency-key": s.payKey }, body: JSON.stringify({ item, amount, currency: d.pay_currency }) });
  $("pay-send").disabled = false;
  if (r.status === 201) { show("pay-form", false); s.payKey = null; return; }
  const p = r.body || {};
  fieldErrors(p.errors && p.errors.length ? p.errors : [{ field: "", message: p.detail || p.title || "Could not send (" + r.status + ")." }]);
});
$("pay-cancel").addEventListener("click", async () => {
  const d = (s.frame && s.frame.detail) || {};
  if (!d.payment_id || !s.callId) return;
  await call("/calls/" + encodeURIComponent(s.callId) + "/payment-requests/" + encodeURIComponent(d.payment_id), { method: "DELETE" });
});

if (s.token) void signIn(s.token); else show("signin", true);
`;

/** The script with its reason texts; "</" is escaped so nothing in it can close the script tag. */
export const CONSOLE_SCRIPT = script
  .replace("__REASONS__", JSON.stringify(REASON_TEXT))
  .replaceAll("</", "<\\/");
