/**
 * A second product, added the way every product is added — its own folder (this one lives under
 * test/) and one registry line (test-entry.ts) — without touching the engine's unions. It brings
 * its own command (take_note, carried out by its own capability) and result event (note_taken),
 * and an action (say) that someone outside the call may ask for.
 */
import { z } from "zod";
import { defineCapability } from "../../../../src/engine/effect";
import { eraseFlow, type ProductModule } from "../../../../src/engine/product";
import { rowsFor, stepByTable } from "../../../../src/ivr/transition-table";
import type { EngineEvent, Flow, FlowContext, LegId, StepResult } from "../../../../src/ivr/types";

/** The product's own vocabulary: nothing in src/ knows these names. */
export type NoteCommand = { type: "take_note"; text: string };
export type NoteEvent = { type: "note_taken"; noteId: string; at: number };

/** What the capability did (its "database"), and how many notes it must refuse first (tests set it). */
export const notebook = { notes: [] as string[], failNext: 0 };

export const noteCapability = defineCapability<NoteCommand>({
  name: "skeleton-notes",
  handlers: {
    take_note: {
      kind: "outbox",
      lane: () => "notes",
      policy: "work",
      run(cmd, fx) {
        if (notebook.failNext > 0) {
          notebook.failNext -= 1;
          return Promise.reject(new Error("notebook unavailable"));
        }
        notebook.notes.push(cmd.text);
        const event: NoteEvent = {
          type: "note_taken",
          noteId: `note-${notebook.notes.length}`,
          at: fx.now(),
        };
        return Promise.resolve({ kind: "done", event });
      },
    },
  },
});

interface State {
  phase: "idle" | "answering" | "listening" | "done";
  leg: LegId | null;
  notes: string[];
}
type Ctx = FlowContext<Record<string, never>>;
type Result = StepResult<State, NoteCommand>;
const on = rowsFor<State, Ctx, EngineEvent | NoteEvent, NoteCommand>();

const table = [
  on("idle", "call_started", (s, e): Result => ({
    state: { ...s, phase: "answering", leg: e.leg },
    commands: [{ type: "answer", leg: e.leg }],
  })),
  on("answering", "leg_answered", (s, e): Result => ({
    state: { ...s, phase: "listening" },
    // Its own command and an engine prompt in one step: each goes in its own lane.
    commands: [
      { type: "take_note", text: "caller answered" },
      {
        type: "gather",
        leg: e.leg,
        prompt: "Say something with keys.",
        minDigits: 1,
        maxDigits: 4,
        timeoutMs: 5000,
      },
    ],
  })),
  on("listening", "note_taken", (s, e): Result => ({
    state: { ...s, notes: [...s.notes, e.noteId] },
    commands: [],
  })),
  on(
    "listening",
    "action_requested",
    (s, e): Result => {
      if (typeof e.params.text !== "string" || !s.leg)
        return {
          state: s,
          commands: [
            {
              type: "reply_action",
              key: e.key,
              reply: { ok: false, status: 422, title: "Invalid", detail: "say needs text" },
            },
          ],
        };
      return {
        state: s,
        commands: [
          { type: "speak", leg: s.leg, text: e.params.text },
          { type: "reply_action", key: e.key, reply: { ok: true, result: { said: e.params.text } } },
        ],
      };
    },
    (_s, e) => e.action === "say",
  ),
  on(["answering", "listening"], "leg_hung_up", (s): Result => ({
    state: { ...s, phase: "done" },
    commands: [],
  })),
];

export const skeletonFlow: Flow<State, Record<string, never>, NoteCommand, NoteEvent> = {
  name: "skeleton",
  init: () => ({ phase: "idle", leg: null, notes: [] }),
  step: (state, event, ctx) => stepByTable(table, state, event, ctx),
  isDone: (state) => state.phase === "done",
  view: (state) => ({ phase: state.phase, detail: { notes: state.notes.length } }),
};

export const skeletonProduct: ProductModule = {
  name: "skeleton",
  summary: "A test product: notes and a say action.",
  flow: eraseFlow(skeletonFlow, () => ({})),
  configSchema: z.object({}).strict(),
  lineProduct: true,
  capabilities: [noteCapability],
};
