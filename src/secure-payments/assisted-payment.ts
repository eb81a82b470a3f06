/**
 * Assisted mode, read top to bottom: the agent stays on the line; the bridge is made again with
 * DTMF muted (the agent's leg receives none of the caller's keys) → the caller confirms the amount
 * → the agent asks for each card field from the console, in any order, any of them again → the
 * agent charges once all four are complete (MOTO, the request's idempotency key) → a decline asks
 * for the card again (up to MAX_DECLINES) → the result said, the bridge is made again unmuted.
 * `*` cancels, 60 s of silence fails the field, either side hanging up stops it, as in isolated
 * mode. Pure; the digits never enter this state (card capture hands them to memory).
 */
import type { CardBrand } from "../card-payments/card-rules";
import { startCardField, stepCardCapture } from "../card-payments/card-capture";
import { startCollect, stepCollect } from "../ivr/collect-digits";
import { refuse, type ActionReply } from "../ivr/actions";
import { say } from "../ivr/prompts";
import type { Row } from "../ivr/transition-table";
import type { EngineEvent } from "../ivr/types";
import type { AssistedField, AssistedFields, AssistedStep } from "./assisted-fields";
import { ASSISTED_FIELDS } from "./assisted-fields";
import { amountSpec, cardConfig, charge, MAX_TRIES, prompting, silent } from "./payment-capture";
import { cardLost } from "./payment-charge";
import { conclude } from "./payment-finish";
import { chargeToEndRows, eitherLeg, fromCaller, legLeftRow, on, stopped } from "./payment-rows";
import type {
  PaymentCommand,
  PaymentCtx,
  PaymentEvent,
  PaymentResult,
  SecurePaymentState,
} from "./payment-state";
import { assistedTexts } from "./assisted-texts";

type Gathered = Extract<EngineEvent, { type: "digits_gathered" }>;
type Declined = Extract<PaymentEvent, { type: "payment_declined" }>;

/** A card declined this often ends the request (the agent may start a new one). */
export const MAX_DECLINES = 3;
/** While the agent asks for nothing, the payment waits this long before it stops (timed_out). */
export const AGENT_IDLE_MS = 10 * 60_000;

/** One field on its own: the capture ends once it is confirmed (the agent picks the next). */
const fieldConfig = (ctx: PaymentCtx, field: AssistedField) => ({
  ...cardConfig(ctx.settings),
  fields: [field],
  maxTries: MAX_TRIES,
});

const fieldsOf = (s: SecurePaymentState): AssistedFields =>
  s.assisted ?? {
    fields: { number: "waiting", expiry: "waiting", cvc: "waiting", zip: "waiting" },
    declines: 0,
    declineCode: null,
  };
const withField = (
  s: SecurePaymentState,
  field: AssistedField,
  status: AssistedFields["fields"][AssistedField],
) => ({
  ...fieldsOf(s),
  fields: { ...fieldsOf(s).fields, [field]: status },
});
const waitForAgent = (ctx: PaymentCtx): PaymentCommand => ({
  type: "set_timer",
  name: "sp_input",
  at: ctx.now + AGENT_IDLE_MS,
});
/** Something said to the caller while the payment runs (counted, as every speech is). */
const tell = (s: SecurePaymentState, text: string) => ({
  state: { ...s, speaking: s.speaking + 1 },
  command: say(s.caller, text),
});

/** The muted bridge is in place: recording paused, the caller hears the amount. */
function muted(s: SecurePaymentState, ctx: PaymentCtx): PaymentResult {
  const spec = { ...amountSpec(s), prompt: assistedTexts.amount(s.request) };
  const menu = startCollect(spec, s.caller);
  return prompting(
    { ...s, phase: "amount", isolated: true, amountMenu: menu.state },
    [{ type: "clear_timer", name: "sp_isolate" }, { type: "record_pause", leg: s.caller }, ...menu.commands],
    ctx,
  );
}

function amountEntered(s: SecurePaymentState, e: Gathered, ctx: PaymentCtx): PaymentResult {
  if (!s.amountMenu || e.status === "hangup") return { state: s, commands: [] };
  if (silent(e)) return conclude({ ...s, listening: false }, ctx, { status: "failed", reason: "timed_out" });
  const spec = { ...amountSpec(s), prompt: assistedTexts.amount(s.request) };
  const step = stepCollect(spec, s.amountMenu, e);
  const next = { ...s, amountMenu: step.state, listening: false };
  switch (step.result?.kind) {
    case undefined:
      return prompting(next, step.commands, ctx);
    case "done": {
      if (step.result.value !== "1")
        return conclude(next, ctx, { status: "failed", reason: "amount_rejected" });
      const told = tell({ ...next, phase: "card", amountMenu: null }, assistedTexts.agentWillAsk);
      return {
        state: told.state,
        commands: [{ type: "clear_timer", name: "sp_input" }, told.command, waitForAgent(ctx)],
      };
    }
    case "cancelled":
      return conclude(next, ctx, { status: "failed", reason: "cancelled_by_caller" });
    case "failed":
      return conclude(next, ctx, { status: "failed", reason: "too_many_tries" });
    case "hungUp":
      return { state: s, commands: [] };
  }
}

/** The caller's entry for the field the agent asked for. */
function fieldEntered(s: SecurePaymentState, e: Gathered, ctx: PaymentCtx): PaymentResult {
  const card = s.card;
  if (!card || e.status === "hangup") return { state: s, commands: [] };
  const field = card.field as AssistedField;
  const over = (status: "complete" | "failed", text: string | null, commands: PaymentCommand[]) => {
    const base: SecurePaymentState = {
      ...s,
      card: null,
      listening: false,
      assisted: withField(s, field, status),
    };
    const told = text ? tell(base, text) : { state: base, command: null };
    return {
      state: told.state,
      commands: [...commands, ...(told.command ? [told.command] : []), waitForAgent(ctx)],
    };
  };
  if (silent(e)) return over("failed", assistedTexts.noEntry, [{ type: "log_sensitive", on: false }]);
  const step = stepCardCapture(fieldConfig(ctx, field), card, e, ctx.now);
  const next: SecurePaymentState = { ...s, card: step.state, listening: false };
  switch (step.result?.kind) {
    case undefined:
      return prompting(next, step.commands, ctx);
    case "done": {
      const done = over("complete", null, step.commands);
      const brandChanged = field === "number" && s.cardBrand !== null && s.cardBrand !== step.state.brand;
      // A new brand may need a CVC of another length: the agent asks for it again.
      const assisted = brandChanged
        ? { ...done.state.assisted!, fields: { ...done.state.assisted!.fields, cvc: "waiting" as const } }
        : done.state.assisted;
      return {
        state: { ...done.state, assisted, cardBrand: step.state.brand, cardLast4: step.state.last4 },
        commands: done.commands,
      };
    }
    case "cancelled":
      return conclude(
        { ...next, card },
        ctx,
        { status: "failed", reason: "cancelled_by_caller" },
        step.commands,
      );
    case "failed":
      // Fields already complete stay in memory: only this one is asked for again.
      return over(
        "failed",
        assistedTexts.fieldFailed,
        step.commands.filter((c) => c.type !== "forget_card"),
      );
    case "hungUp":
      return { state: next, commands: step.commands };
  }
}

/** Stripe declined: the card's digits are gone (Stripe had them); the agent asks for them again. */
function declinedAssisted(s: SecurePaymentState, e: Declined, ctx: PaymentCtx): PaymentResult {
  const a = fieldsOf(s);
  const declines = a.declines + 1;
  const code = e.code ?? e.reason;
  if (declines >= MAX_DECLINES)
    return conclude(s, ctx, {
      status: "failed",
      reason: "declined",
      declineCode: code,
      paymentId: e.paymentId,
    });
  const fields = { number: "failed", expiry: "waiting", cvc: "waiting", zip: "waiting" } as const;
  const told = tell(
    {
      ...s,
      phase: "card",
      prepared: null,
      cardAttempt: s.cardAttempt + 1,
      cardBrand: null,
      cardLast4: null,
      assisted: { fields, declines, declineCode: code },
    },
    assistedTexts.declined,
  );
  return { state: told.state, commands: [{ type: "forget_card" }, told.command, waitForAgent(ctx)] };
}

/** A restarted call lost the digits before Stripe had them: every field is asked for again. */
function lostAssisted(s: SecurePaymentState, ctx: PaymentCtx): PaymentResult {
  if (s.leftBy) return cardLost(s, ctx);
  const fields = { number: "waiting", expiry: "waiting", cvc: "waiting", zip: "waiting" } as const;
  const told = tell(
    {
      ...s,
      phase: "card",
      prepared: null,
      cardAttempt: s.cardAttempt + 1,
      assisted: { ...fieldsOf(s), fields },
    },
    assistedTexts.cardAgain,
  );
  return { state: told.state, commands: [told.command, waitForAgent(ctx)] };
}

export const assistedTable: Row<SecurePaymentState, PaymentCtx, PaymentEvent, PaymentCommand>[] = [
  legLeftRow,
  // The muted bridge first (Telnyx answers call.bridged); only then the caller's first prompt
  on("isolating", "legs_bridged", (s, _e, ctx) => muted(s, ctx), eitherLeg),
  on("isolating", "timer:sp_isolate", stopped("not_isolated")),
  // The amount, then whatever field the agent asks for; * cancels; silence fails the field
  on("amount", "digits_gathered", amountEntered, fromCaller),
  on("card", "digits_gathered", fieldEntered, fromCaller),
  on(["amount", "card"], "timer:sp_input", stopped("timed_out")),
  // As in isolated mode, except that a decline or lost digits ask for the card again
  ...chargeToEndRows(declinedAssisted, lostAssisted),
];

export type AssistedAct = { ok: false; reply: ActionReply } | { ok: true; step: PaymentResult };

const busy = (why: string): AssistedAct => ({ ok: false, reply: refuse(409, "Not possible now", why) });

/** The agent asks for a field (again) or to charge: refused unless the caller is free for it. */
export function actOnAssisted(s: SecurePaymentState, what: AssistedStep, ctx: PaymentCtx): AssistedAct {
  if (!s.assisted)
    return busy("This payment request runs in isolated mode: the caller goes through it alone.");
  if (s.outcome || s.phase !== "card")
    return busy(
      s.phase === "amount" || s.phase === "isolating"
        ? "The caller has not confirmed the amount yet."
        : "This payment request is no longer taking card details.",
    );
  if (s.card)
    return busy(`The caller is entering the ${s.card.field === "number" ? "card number" : s.card.field}.`);
  const fields = s.assisted.fields;
  if (what === "charge") {
    const missing = ASSISTED_FIELDS.filter((f) => fields[f] !== "complete");
    if (missing.length) return busy(`Ask for ${missing.join(", ")} first.`);
    return { ok: true, step: charge({ ...s, phase: "card" }, ctx, []) };
  }
  if (what === "cvc" && fields.number !== "complete") return busy("Ask for the card number before the CVC.");
  const started = startCardField(
    fieldConfig(ctx, what),
    what,
    { brand: s.cardBrand as CardBrand | null, last4: s.cardLast4 },
    s.caller,
    ctx.now,
  );
  return {
    ok: true,
    step: prompting(
      { ...s, card: started.state, assisted: withField(s, what, "entering") },
      [{ type: "clear_timer", name: "sp_input" }, ...started.commands],
      ctx,
    ),
  };
}
