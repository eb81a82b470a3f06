/**
 * Public types of the Telnyx stand-in: options, the simulated PSTN caller (SimCall), what a caller
 * hears (HeardItem) and the record of commands received. Types only; behaviour lives elsewhere.
 * Wire names (call_control_id, command_id) appear only where the brief fixes them for tests.
 */
import type { KeyObject } from "node:crypto";

/** How a dialled destination (an agent's phone, a calling card's destination) behaves. */
export type AgentPolicy =
  | { kind: "answer"; ringMs?: number; hangupAfterMs?: number }
  | { kind: "busy" }
  | { kind: "no_answer" }
  | { kind: "reject" }
  /** The number does not exist: hangup_cause not_found (SIP 404). */
  | { kind: "not_found" };

/** Webhook delivery faults, drawn from a seeded PRNG so a run repeats. */
export type DeliveryMode = {
  /** Probability 0..1 (or true = always) that an event is delivered twice with the same id. */
  duplicate?: number | boolean;
  /** Deliver events independently after a random delay, so their order varies. */
  reorder?: boolean;
  /** Extra real-time delay (ms, not scaled) before each delivery. */
  delayMs?: number;
  /** Probability 0..1 that an event is never delivered. */
  drop?: number;
  /** PRNG seed; default 1. */
  seed?: number;
  /** Real-time ms to wait for the webhook receiver before counting a failed attempt; default 5000. */
  timeoutMs?: number;
};

/** What an open gather accepts: Telnyx's minimum_digits, maximum_digits and terminating_digit. */
export type ListeningFor = { minDigits: number; maxDigits: number; terminatingDigit: string };

/**
 * What the PSTN caller experiences, in order. `at` is epoch ms. `listening` is on the item with
 * which a gather opens (its prompt, or the bare gather); optional, as older stand-ins lacked it.
 */
export type HeardItem =
  | { kind: "speak"; text: string; gather: boolean; listening?: ListeningFor; at: number }
  /** A question asked by voice (gather_using_ai): the caller answers by speaking (the softphone types). */
  | { kind: "ask"; text: string; field: string; at: number }
  /** A gather without a spoken prompt started listening for keys. */
  | { kind: "gather"; listening?: ListeningFor; at: number }
  | { kind: "playback"; url: string; at: number }
  | { kind: "ringing"; to: string; at: number }
  | { kind: "bridged"; to: string; at: number }
  | { kind: "hold_music"; queue: string; at: number }
  | { kind: "recording_started"; at: number }
  | { kind: "hung_up"; cause: string; at: number }
  /** A key the bridged partner pressed, carried across the bridge (unless its mute_dtmf stops it). */
  | { kind: "tone"; digit: string; at: number };

export type SimCall = {
  callControlId: string;
  callSessionId: string;
  /** Sends DTMF now; only counts while a gather listens (or one starts within its inter-digit window). */
  pressKeys(digits: string): void;
  /** Speaks an answer to an open voice question; ignored when none is open. */
  say(text: string): void;
  /** The caller hangs up. */
  hangup(): Promise<void>;
  heard: HeardItem[];
  /** Subscribes to new heard items; returns an unsubscribe function. */
  on(listener: (item: HeardItem) => void): () => void;
  ended: Promise<{ cause: string }>;
};

export type RecordedCommand = {
  path: string;
  /** Action name, or "dial" for POST /v2/calls. */
  action: string;
  call_control_id: string | null;
  body: unknown;
  command_id: string | null;
  /** HTTP status the stand-in answered. */
  status: number;
  /** False for a repeated command_id (answered ok, not executed again) or an error. */
  executed: boolean;
  /** Epoch ms the request arrived (the bench measures webhook → command latency with it). */
  receivedAt: number;
};

export type WebhookAttempt = {
  id: string;
  call_session_id: string | undefined;
  /** Epoch ms the delivery started. */
  sentAt: number;
  event_type: string;
  call_control_id: string | undefined;
  attempt: number;
  /** HTTP status, or 0 when the request failed or timed out. */
  status: number;
};

export type FailNextOptions = { action?: string; status: 503 | 429 | 422; code?: string; count?: number };

export type StandinOptions = {
  webhookUrl: string;
  host?: string;
  port?: number;
  /** 1 = real time; tests use e.g. 0.02 to run every simulated delay 50x faster. */
  timeScale?: number;
  agents?: Record<string, AgentPolicy>;
  /** Policies by number prefix ("+4420" → every London number), the longest prefix winning. */
  destinationPrefixes?: Record<string, AgentPolicy>;
  defaultAgent?: AgentPolicy;
  delivery?: DeliveryMode;
  privateKey?: CryptoKey | KeyObject;
  /** connection_id reported on inbound calls; default "standin-connection". */
  connectionId?: string;
};

export type StandIn = {
  /** API base (the Worker's TELNYX_API_BASE); the API lives under `${url}/v2`. */
  url: string;
  /** Raw 32-byte Ed25519 public key, base64 (the Worker's TELNYX_PUBLIC_KEY). */
  publicKeyBase64: string;
  placeCall(from: string, to: string): Promise<SimCall>;
  commands: RecordedCommand[];
  webhooks: WebhookAttempt[];
  /** What a leg (any leg, e.g. an agent's) has heard so far. */
  heardBy(callControlId: string): HeardItem[];
  setAgentPolicy(dest: string, policy: AgentPolicy): void;
  /** Every number starting with `prefix` behaves so (an exact number's policy still wins). */
  setPrefixPolicy(prefix: string, policy: AgentPolicy): void;
  setDelivery(mode: DeliveryMode): void;
  failNext(opts: FailNextOptions): void;
  close(): Promise<void>;
};
