/**
 * Secure payments inside any product's talk: wraps the product's "talking" handler so an agent
 * (or admin) can ask for a payment while caller and agent are connected. While one runs, the
 * metered talk is paused (the caller is not billed for keying a card, and no credit cutoff fires),
 * the payment's own events go to the payment machine, and hang-ups are held back until no money
 * can move; then talk resumes at the re-bridge, or the held hang-ups end the call as usual.
 * A product adds one field to its state, a host (accessors) and wraps its talking row.
 */
import type { CardCommand } from "../card-payments/vocabulary";
import { refuse, type ActionReply } from "../ivr/actions";
import { pauseTalk, resumeTalk, type TalkConfig, type TalkState } from "../ivr/metered-talk";
import type { EngineCommand, EngineEvent, FlowContext, StepResult, Tagged, TaggedEvent } from "../ivr/types";
import type { SecurePaymentSettings } from "./config";
import {
  startSecurePayment,
  type PaymentCtx,
  type PaymentEvent,
  type SecurePaymentState,
} from "./payment-state";
import { assistedSteps, NO_PAYMENTS, paymentDetail, type SecurePayments } from "./payment-view";
import { checkRequest } from "./request-rules";
import { requestFromDetail } from "./request-json";
import { cancelSecurePayment, isPaymentEvent, stepSecurePayment } from "./secure-payment";
import {
  CANCEL_PAYMENT,
  PAYMENT_STEP_ACTION,
  REQUEST_PAYMENT,
  type SecurePaymentCommand,
} from "./vocabulary";
import { isAssistedStep } from "./assisted-fields";
import { actOnAssisted } from "./assisted-payment";

/** How the wrapper reads and writes a product's state, and what the line's settings are. */
export interface TalkHost<S, X extends FlowContext<unknown>> {
  talk(state: S): TalkState | null;
  withTalk(state: S, talk: TalkState): S;
  payments(state: S): SecurePayments | undefined;
  withPayments(state: S, payments: SecurePayments): S;
  /** The agent the caller talks to. */
  agentId(state: S): string | null;
  settings(ctx: X): SecurePaymentSettings;
  talkConfig(ctx: X): TalkConfig;
}

type Action = Extract<EngineEvent, { type: "action_requested" }>;
type Recorded = { type: "secure_payment_recorded"; id: string; at: number };
type Result<S, Cmd extends Tagged> = StepResult<S, Cmd>;
/** A flow that takes secure payments must carry their commands (and card payments') in its own. */
type PaymentVocabulary<Cmd> = [CardCommand | SecurePaymentCommand] extends [Cmd]
  ? unknown
  : { error: "the flow's commands must include CardCommand and SecurePaymentCommand" };

export function withSecurePayments<
  S,
  X extends FlowContext<unknown>,
  E extends TaggedEvent,
  Cmd extends Tagged,
>(
  host: TalkHost<S, X> & PaymentVocabulary<Cmd>,
  talking: (state: S, event: E, ctx: X) => Result<S, Cmd>,
): (state: S, event: E, ctx: X) => Result<S, Cmd> {
  const ctxOf = (ctx: X): PaymentCtx => ({ ...ctx, settings: host.settings(ctx) });
  // Safe: Cmd includes every command the payment machine issues (PaymentVocabulary above).
  const out = (state: S, commands: Tagged[]): Result<S, Cmd> => ({ state, commands: commands as Cmd[] });
  const reply = (key: string, r: ActionReply): EngineCommand => ({ type: "reply_action", key, reply: r });
  /** The request as the API shows it: from the same facts as the live frame, so both agree. */
  const requestJson = (ctx: X, p: SecurePayments) =>
    requestFromDetail(ctx.sessionId, paymentDetail(p, host.settings(ctx)));

  function request(s: S, e: Action, ctx: X): Result<S, Cmd> {
    const p = host.payments(s) ?? NO_PAYMENTS;
    const talk = host.talk(s);
    if (p.active)
      return out(s, [
        reply(e.key, refuse(409, "Payment in progress", "This call is already taking a payment.")),
      ]);
    if (!talk || talk.ending)
      return out(s, [reply(e.key, refuse(409, "Not possible now", "Caller and agent are not talking."))]);
    const checked = checkRequest(e.params, host.settings(ctx));
    if (!checked.ok) return out(s, [reply(e.key, checked.reply)]);
    const n = p.count + 1;
    const started = startSecurePayment(
      { caller: talk.caller, agent: talk.other },
      {
        id: `sp_${ctx.sessionId}_${n}`,
        key: e.key,
        ...checked.request,
        agentId: host.agentId(s),
        requestedBy: e.by.kind,
        requestedAt: e.at,
      },
      ctx.now,
      host.settings(ctx).mode,
    );
    const paused = pauseTalk(talk, e.at);
    const next = host.withTalk(host.withPayments(s, { ...p, active: started.state, count: n }), paused.state);
    const json = requestJson(ctx, { active: started.state, count: n, last: p.last });
    return out(next, [
      ...paused.commands,
      ...started.commands,
      reply(e.key, { ok: true, result: json ?? {} }),
    ]);
  }

  function cancel(s: S, e: Action, ctx: X): Result<S, Cmd> {
    const p = host.payments(s) ?? NO_PAYMENTS;
    const id = e.params.request_id;
    if (!p.active || p.active.request.id !== id) {
      const finished = p.last?.request.id === id;
      return out(s, [
        reply(
          e.key,
          finished
            ? refuse(409, "Already finished", "This payment request has already ended.")
            : refuse(404, "No such payment request", `No payment request ${String(id)} on this call.`),
        ),
      ]);
    }
    const step = cancelSecurePayment(p.active, ctxOf(ctx));
    if (!step)
      return out(s, [
        reply(
          e.key,
          refuse(
            409,
            "Caller has started",
            "The caller confirmed the amount; it can no longer be cancelled.",
          ),
        ),
      ]);
    const after = advance(host.withPayments(s, { ...p, active: step.state }), step.state, step.commands, ctx);
    const json = requestJson(ctx, host.payments(after.state) ?? NO_PAYMENTS);
    return out(after.state, [...after.commands, reply(e.key, { ok: true, result: json ?? {} })]);
  }

  /** Assisted mode: the agent asks for a card field (again) or to charge the card. */
  function assistedStep(s: S, e: Action, ctx: X): Result<S, Cmd> {
    const p = host.payments(s) ?? NO_PAYMENTS;
    const id = e.params.request_id;
    if (!p.active || p.active.request.id !== id)
      return out(s, [
        reply(
          e.key,
          refuse(404, "No such payment request", `No running payment request ${String(id)} on this call.`),
        ),
      ]);
    if (!isAssistedStep(e.params.step))
      return out(s, [
        reply(
          e.key,
          refuse(422, "Invalid request", "The step is not one of number, expiry, cvc, zip, charge.", [
            { field: "step", message: "must be number, expiry, cvc, zip or charge" },
          ]),
        ),
      ]);
    const acted = actOnAssisted(p.active, e.params.step, ctxOf(ctx));
    if (!acted.ok) return out(s, [reply(e.key, acted.reply)]);
    const after = advance(
      host.withPayments(s, { ...p, active: acted.step.state }),
      acted.step.state,
      acted.step.commands,
      ctx,
    );
    const json = requestJson(ctx, host.payments(after.state) ?? NO_PAYMENTS);
    return out(after.state, [...after.commands, reply(e.key, { ok: true, result: json ?? {} })]);
  }

  /** After a payment step: if the request is over, talk resumes or the held hang-ups end the call. */
  function advance(s: S, payment: SecurePaymentState, commands: Tagged[], ctx: X): Result<S, Cmd> {
    const end = payment.end;
    if (!end || !payment.outcome) return out(s, commands);
    const p = host.payments(s) ?? NO_PAYMENTS;
    const last = {
      request: payment.request,
      outcome: payment.outcome,
      stoppedAt: payment.stoppedAt,
      completed: payment.completedAtEnd ?? 0,
      recorded: payment.recorded,
      ...(payment.assisted ? { steps: assistedSteps(payment) ?? undefined } : {}),
    };
    let state = host.withPayments(s, { ...p, active: null, last });
    const all = [...commands];
    const talk = host.talk(state);
    if (end.kind === "rejoined" && talk) {
      const resumed = resumeTalk(host.talkConfig(ctx), talk, end.at);
      return out(host.withTalk(state, resumed.state), [...all, ...resumed.commands]);
    }
    // The call is ending: the talk machine hears the hang-ups now (the pause stays open: unbilled).
    for (const hangUp of payment.held) {
      const step = talking(state, hangUp as unknown as E, ctx);
      state = step.state;
      all.push(...step.commands);
    }
    return out(state, all);
  }

  /** The record is written: the console may fetch it. (It can land before or after the payment ends.) */
  function recorded(s: S, e: Recorded): Result<S, Cmd> {
    const p = host.payments(s) ?? NO_PAYMENTS;
    if (p.active?.request.id === e.id)
      return out(host.withPayments(s, { ...p, active: { ...p.active, recorded: true } }), []);
    if (p.last?.request.id === e.id && !p.last.recorded)
      return out(host.withPayments(s, { ...p, last: { ...p.last, recorded: true } }), []);
    return out(s, []);
  }

  return (s, e, ctx) => {
    if (e.type === "action_requested") {
      const a = e as unknown as Action;
      if (a.action === REQUEST_PAYMENT) return request(s, a, ctx);
      if (a.action === CANCEL_PAYMENT) return cancel(s, a, ctx);
      if (a.action === PAYMENT_STEP_ACTION) return assistedStep(s, a, ctx);
    }
    if (e.type === "secure_payment_recorded") return recorded(s, e as unknown as Recorded);
    const p = host.payments(s) ?? NO_PAYMENTS;
    const event = e as unknown as PaymentEvent;
    if (!p.active || !isPaymentEvent(p.active, event)) return talking(s, e, ctx);
    const step = stepSecurePayment(p.active, event, ctxOf(ctx));
    return advance(host.withPayments(s, { ...p, active: step.state }), step.state, step.commands, ctx);
  };
}
