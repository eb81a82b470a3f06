/**
 * Writes a settled call to Turso in one batch: the call row, its timeline, its payments and its
 * voicemail. Every insert is keyed and ignores conflicts, so a retried settlement (after a crash or
 * a Turso outage) writes each row exactly once.
 */
import type { CallRecord } from "../ivr/types";
import type { Db } from "./client";
import { callEvents, calls, payments, voicemails } from "./schema";

export interface TimelineEntry {
  seq: number;
  at: number;
  event: string;
  from: string;
  to: string;
}

export async function writeCallRecord(
  db: Db,
  callId: string,
  record: CallRecord,
  timeline: TimelineEntry[],
): Promise<void> {
  const callRow = db
    .insert(calls)
    .values({
      id: callId,
      lineId: record.lineId,
      product: record.product,
      callerNumber: record.callerNumber,
      calledNumber: record.calledNumber,
      startedAt: record.startedAt,
      answeredAt: record.answeredAt,
      talkStartedAt: record.talkStartedAt,
      endedAt: record.endedAt,
      billableSeconds: record.billableSeconds,
      amount: record.amount,
      currency: record.currency,
      status: record.status,
      hangupCause: record.hangupCause,
      endedBy: record.endedBy,
      agentId: record.agentId,
      cardBrand: record.cardBrand,
      cardLast4: record.cardLast4,
      paymentId: record.paymentId,
      answers: record.answers && Object.keys(record.answers).length ? record.answers : null,
    })
    .onConflictDoNothing();
  const rest = [
    ...timeline.map((t) =>
      db
        .insert(callEvents)
        .values({ callId, seq: t.seq, at: t.at, event: t.event, fromState: t.from, toState: t.to })
        .onConflictDoNothing(),
    ),
    ...record.payments.map((p) =>
      db
        .insert(payments)
        .values({
          id: `${p.paymentId}:${p.kind}`,
          callId,
          providerPaymentId: p.paymentId,
          kind: p.kind,
          amount: p.amount,
          currency: p.currency,
          status: p.status,
          code: p.code ?? null,
          at: p.at,
        })
        .onConflictDoNothing(),
    ),
    ...(record.voicemail
      ? [
          db
            .insert(voicemails)
            .values({
              id: `vm_${callId}`,
              callId,
              lineId: record.lineId,
              callerNumber: record.callerNumber,
              recordingUrl: record.voicemail.url,
              durationSec: record.voicemail.durationSec,
              recordedAt: record.endedAt,
            })
            .onConflictDoNothing(),
        ]
      : []),
  ];
  await db.batch([callRow, ...rest]);
}
