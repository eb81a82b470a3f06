/**
 * Card capture: number, expiry, street number, zip and CVC, one collect-digits machine per field.
 * Each accepted field goes to the shell's memory as `hold_card_field`; this state keeps only the
 * brand and last 4. It owns the card prompts and checks; it never authorises or stores a payment.
 */
import { cardBrand, checkExpiry, cvcLength, luhnValid, type CardBrand } from "./card-rules";
import {
  invalid,
  startCollect,
  stepCollect,
  valid,
  type CollectDigitsSpec,
  type CollectDigitsState,
  type CollectStep,
} from "./collect-digits";
import { spokenDigits } from "./prompts";
import type { CallEvent, CardField, Command, LegId } from "./types";

/**
 * "voice" is accepted so a line can be configured for spoken answers, but speech recognition is not
 * wired to the engine yet: a voice step asks for the same keypad entry as a touch-tone step.
 */
export type EntryMode = "touch_tone" | "voice";

export interface CardCaptureConfig {
  steps: Record<CardField, EntryMode>;
  zipLength: number;
  maxTries: number;
  /** Read each field back (the number as its last 4 only) for a 1/2 confirmation; never the CVC. */
  confirm: boolean;
  timeoutMs: number;
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
  commands: Command[];
  result?: CardCaptureResult;
}

const ORDER: readonly CardField[] = ["number", "expiry", "street", "zip", "cvc"];

type FieldSpec = Omit<CollectDigitsSpec, "maxTries" | "timeoutMs" | "sensitive">;

function fieldSpec(
  field: CardField,
  state: Pick<CardCaptureState, "brand">,
  cfg: CardCaptureConfig,
  now: number,
) {
  const specs: Record<CardField, () => FieldSpec> = {
    number: () => ({
      prompt: "Please enter your card number, then press pound. Press star at any time to cancel.",
      minDigits: 13,
      maxDigits: 19,
      validate: (d) => (luhnValid(d) ? valid : invalid("That card number is not valid.")),
      readback: (d) => `a card ending in ${spokenDigits(d.slice(-4))}`,
    }),
    expiry: () => ({
      prompt: "Please enter the expiry date as 4 digits: 2 for the month, then 2 for the year.",
      minDigits: 4,
      maxDigits: 4,
      validate: (d) => {
        const verdict = checkExpiry(d, now);
        if (verdict === "expired") return invalid("That expiry date is in the past.");
        return verdict === "ok" ? valid : invalid("That is not a valid expiry date.");
      },
      readback: (d) => `month ${spokenDigits(d.slice(0, 2))}, year ${spokenDigits(d.slice(2))}`,
    }),
    street: () => ({
      prompt: "Please enter the street number of your billing address, then press pound.",
      minDigits: 1,
      maxDigits: 10,
      readback: (d) => `street number ${spokenDigits(d)}`,
    }),
    zip: () => ({
      prompt: `Please enter the ${cfg.zipLength} digit zip code of your billing address.`,
      minDigits: cfg.zipLength,
      maxDigits: cfg.zipLength,
      readback: (d) => `zip code ${spokenDigits(d)}`,
    }),
    cvc: () => ({
      prompt: `Please enter the ${cvcLength(state.brand)} digit security code on your card.`,
      minDigits: cvcLength(state.brand),
      maxDigits: cvcLength(state.brand),
    }),
  };
  const spec = specs[field]();
  const readback = cfg.confirm && field !== "cvc" ? spec.readback : undefined;
  const full: CollectDigitsSpec = {
    ...spec,
    readback,
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

function finish(state: CardCaptureState, commands: Command[], result: CardCaptureResult): CardCaptureStep {
  const cleanup: Command[] = result.kind === "done" ? [] : [{ type: "forget_card" }];
  return { state, commands: [...commands, ...cleanup, { type: "log_sensitive", on: false }], result };
}

function advance(
  cfg: CardCaptureConfig,
  state: CardCaptureState,
  commands: Command[],
  now: number,
): CardCaptureStep {
  const next = ORDER[ORDER.indexOf(state.field) + 1];
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
  event: CallEvent,
  now: number,
): CardCaptureStep {
  const step: CollectStep = stepCollect(fieldSpec(state.field, state, cfg, now), state.collect, event);
  let next: CardCaptureState = { ...state, collect: step.state };
  const commands = [...step.commands];
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
