/**
 * Card capture: number, expiry, street number, zip and CVC (or the fields a config names, in its
 * order), one collect-digits machine per field.
 * Each accepted field goes to the shell's memory as `hold_card_field`; this state keeps only the
 * brand and last 4. Only the number is read back, as its last 4: expiry, street and zip are
 * confirmed without repeating them, so no card field reaches durable state, logs or Telnyx's TTS.
 * It owns the card prompts and checks; it never authorises or stores a payment.
 */
import {
  invalid,
  startCollect,
  stepCollect,
  valid,
  type CollectDigitsSpec,
  type CollectDigitsState,
  type CollectStep,
} from "../ivr/collect-digits";
import { spokenDigits } from "../ivr/prompts";
import type { EngineCommand, EngineEvent, LegId } from "../ivr/types";
import { cardBrand, checkExpiry, cvcLength, luhnValid, type CardBrand } from "./card-rules";
import type { CardCommand, CardField } from "./vocabulary";

/**
 * "voice" is accepted in old configs, but card fields are keypad-only whatever a config says: a
 * speech recogniser must never hear a card number. A voice step asks for keypad entry.
 */
export type EntryMode = "touch_tone" | "voice";

export interface CardCaptureConfig {
  steps: Record<CardField, EntryMode>;
  zipLength: number;
  maxTries: number;
  /** Ask for a 1/2 confirmation after each field (the number read back as its last 4 only). */
  confirm: boolean;
  /** Confirm the CVC too (secure payments do; the advice line goes straight on). */
  confirmCvc?: boolean;
  timeoutMs: number;
  /**
   * The fields asked for, in order; the number always comes first (its brand fixes the CVC
   * length). Default: number, expiry, street, zip, CVC (the advice line's order).
   */
  fields?: readonly CardField[];
}

export const defaultCardCaptureConfig: CardCaptureConfig = {
  steps: {
    number: "touch_tone",
    expiry: "touch_tone",
    street: "touch_tone",
    zip: "touch_tone",
    cvc: "touch_tone",
  },
  zipLength: 5,
  maxTries: 3,
  confirm: true,
  timeoutMs: 10_000,
};

export interface CardCaptureState {
  field: CardField;
  collect: CollectDigitsState;
  brand: CardBrand | null;
  last4: string | null;
}

export type CardCaptureResult =
  | { kind: "done"; brand: CardBrand; last4: string }
  | { kind: "cancelled" }
  | { kind: "failed"; field: CardField; reason: "tooManyTries" }
  | { kind: "hungUp" };

export interface CardCaptureStep {
  state: CardCaptureState;
  commands: (EngineCommand | CardCommand)[];
  result?: CardCaptureResult;
}

export const DEFAULT_CARD_FIELDS: readonly CardField[] = ["number", "expiry", "street", "zip", "cvc"];
export const POUND = "then press pound.";
/** A fixed-length field waits this long after its last digit when the caller does not press pound. */
const FIXED_FIELD_PAUSE_MS = 3_000;

type FieldSpec = Omit<CollectDigitsSpec, "maxTries" | "timeoutMs" | "sensitive">;

/**
 * Fixed-length fields take one more digit than they need, so a closing pound ends them like every
 * other field instead of spilling into the next prompt; a wrong length is refused by the check.
 */
function fixed(
  length: number,
  what: string,
): Pick<FieldSpec, "minDigits" | "maxDigits" | "interDigitTimeoutMs" | "validate"> {
  return {
    minDigits: length,
    maxDigits: length + 1,
    interDigitTimeoutMs: FIXED_FIELD_PAUSE_MS,
    validate: (d) => (d.length === length ? valid : invalid(`That ${what} should have ${length} digits.`)),
  };
}

function fieldSpec(
  field: CardField,
  state: Pick<CardCaptureState, "brand">,
  cfg: CardCaptureConfig,
  now: number,
) {
  const cvc = cvcLength(state.brand);
  const specs: Record<CardField, () => FieldSpec> = {
    number: () => ({
      prompt: `Please enter your card number, ${POUND} Press star at any time to cancel.`,
      minDigits: 13,
      maxDigits: 19,
      validate: (d) => (luhnValid(d) ? valid : invalid("That card number is not valid.")),
      readback: (d) => `a card ending in ${spokenDigits(d.slice(-4))}`,
    }),
    expiry: () => {
      const length = fixed(4, "expiry date");
      return {
        prompt: `Please enter the expiry date as 4 digits, 2 for the month and 2 for the year, ${POUND}`,
        ...length,
        validate: (d) => {
          const shape = length.validate?.(d) ?? valid;
          if (!shape.ok) return shape;
          const verdict = checkExpiry(d, now);
          if (verdict === "expired") return invalid("That expiry date is in the past.");
          return verdict === "ok" ? valid : invalid("That is not a valid expiry date.");
        },
        readback: () => "the expiry date",
      };
    },
    street: () => ({
      prompt: `Please enter the street number of your billing address, ${POUND}`,
      minDigits: 1,
      maxDigits: 10,
      readback: () => "the street number",
    }),
    zip: () => ({
      prompt: `Please enter the ${cfg.zipLength} digit zip code of your billing address, ${POUND}`,
      ...fixed(cfg.zipLength, "zip code"),
      readback: () => "the zip code",
    }),
    cvc: () => ({
      prompt: `Please enter the ${cvc} digit security code on your card, ${POUND}`,
      ...fixed(cvc, "security code"),
      readback: () => "the security code",
    }),
  };
  const spec = specs[field]();
  const confirms = cfg.confirm && (field !== "cvc" || cfg.confirmCvc === true);
  const full: CollectDigitsSpec = {
    ...spec,
    readback: confirms ? spec.readback : undefined,
    sensitive: true,
    maxTries: cfg.maxTries,
    timeoutMs: cfg.timeoutMs,
  };
  return full;
}

/** Starts with the card number; `intro` (e.g. why we ask again) is said before the first prompt. */
export function startCardCapture(
  cfg: CardCaptureConfig,
  leg: LegId,
  now: number,
  intro?: string,
): CardCaptureStep {
  const spec = fieldSpec("number", { brand: null }, cfg, now);
  const first = startCollect(intro ? { ...spec, prompt: `${intro} ${spec.prompt}` } : spec, leg);
  return {
    state: { field: "number", collect: first.state, brand: null, last4: null },
    commands: [{ type: "log_sensitive", on: true }, ...first.commands],
  };
}

/**
 * Starts one field on its own (secure payments' assisted mode, where the agent picks the order):
 * with `fields: [field]` in the config the capture ends once that field is confirmed. The brand
 * and last 4 of a number keyed earlier come along (the CVC's length depends on the brand).
 */
export function startCardField(
  cfg: CardCaptureConfig,
  field: CardField,
  known: Pick<CardCaptureState, "brand" | "last4">,
  leg: LegId,
  now: number,
): CardCaptureStep {
  const first = startCollect(fieldSpec(field, known, cfg, now), leg);
  return {
    state: { field, collect: first.state, brand: known.brand, last4: known.last4 },
    commands: [{ type: "log_sensitive", on: true }, ...first.commands],
  };
}

function finish(
  state: CardCaptureState,
  commands: (EngineCommand | CardCommand)[],
  result: CardCaptureResult,
): CardCaptureStep {
  const cleanup: CardCommand[] = result.kind === "done" ? [] : [{ type: "forget_card" }];
  return { state, commands: [...commands, ...cleanup, { type: "log_sensitive", on: false }], result };
}

function advance(
  cfg: CardCaptureConfig,
  state: CardCaptureState,
  commands: (EngineCommand | CardCommand)[],
  now: number,
): CardCaptureStep {
  const order = cfg.fields ?? DEFAULT_CARD_FIELDS;
  const next = order[order.indexOf(state.field) + 1];
  if (!next)
    return finish(state, commands, {
      kind: "done",
      brand: state.brand ?? "unknown",
      last4: state.last4 ?? "",
    });
  const started = startCollect(fieldSpec(next, state, cfg, now), state.collect.leg);
  return {
    state: { ...state, field: next, collect: started.state },
    commands: [...commands, ...started.commands],
  };
}

/** Feeds one event to the current field; `now` is the call clock, for the expiry check. */
export function stepCardCapture(
  cfg: CardCaptureConfig,
  state: CardCaptureState,
  event: EngineEvent,
  now: number,
): CardCaptureStep {
  const step: CollectStep = stepCollect(fieldSpec(state.field, state, cfg, now), state.collect, event);
  let next: CardCaptureState = { ...state, collect: step.state };
  const commands: (EngineCommand | CardCommand)[] = [...step.commands];
  if (step.entered !== undefined) {
    commands.unshift({ type: "hold_card_field", field: state.field, value: step.entered });
    if (state.field === "number")
      next = { ...next, brand: cardBrand(step.entered), last4: step.entered.slice(-4) };
  }
  switch (step.result?.kind) {
    case undefined:
      return { state: next, commands };
    case "done":
      return advance(cfg, next, commands, now);
    case "failed":
      return finish(next, commands, { kind: "failed", field: state.field, reason: "tooManyTries" });
    case "cancelled":
      return finish(next, commands, { kind: "cancelled" });
    case "hungUp":
      return finish(next, commands, { kind: "hungUp" });
  }
}
