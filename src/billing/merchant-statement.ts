/**
 * A merchant's daily statement, worked out from the call records and their payment rows as the
 * CallSession wrote them: per call, what was taken (charges and captures), refunded, and the
 * platform's fee; per currency, the totals and the net paid out to the merchant. Pure: no I/O.
 * Net = gross − refunds − fees, which is what Stripe books to the connected account.
 */

export interface StatementCall {
  id: string;
  lineId: string;
  endedAt: number;
  billableSeconds: number;
  currency: string;
  applicationFee: number;
  paymentId: string | null;
}

export interface StatementPayment {
  callId: string | null;
  kind: string;
  status: string;
  amount: number;
}

export interface StatementLine {
  callId: string;
  lineId: string;
  endedAt: number;
  billableSeconds: number;
  currency: string;
  gross: number;
  refunds: number;
  fee: number;
  net: number;
  paymentId: string | null;
}

export interface StatementTotal {
  currency: string;
  calls: number;
  talkSeconds: number;
  gross: number;
  refunds: number;
  fees: number;
  net: number;
}

const TAKEN = new Set(["charge", "capture"]);

export function statementLines(calls: StatementCall[], payments: StatementPayment[]): StatementLine[] {
  return calls.map((call) => {
    const mine = payments.filter((p) => p.callId === call.id);
    const gross = mine
      .filter((p) => TAKEN.has(p.kind) && p.status === "succeeded")
      .reduce((sum, p) => sum + p.amount, 0);
    const refunds = mine
      .filter((p) => p.kind === "refund" && p.status === "refunded")
      .reduce((sum, p) => sum + p.amount, 0);
    return {
      callId: call.id,
      lineId: call.lineId,
      endedAt: call.endedAt,
      billableSeconds: call.billableSeconds,
      currency: call.currency,
      gross,
      refunds,
      fee: call.applicationFee,
      net: gross - refunds - call.applicationFee,
      paymentId: call.paymentId,
    };
  });
}

export function statementTotals(lines: StatementLine[]): StatementTotal[] {
  const byCurrency = new Map<string, StatementTotal>();
  for (const l of lines) {
    const t = byCurrency.get(l.currency) ?? {
      currency: l.currency,
      calls: 0,
      talkSeconds: 0,
      gross: 0,
      refunds: 0,
      fees: 0,
      net: 0,
    };
    t.calls += 1;
    t.talkSeconds += l.billableSeconds;
    t.gross += l.gross;
    t.refunds += l.refunds;
    t.fees += l.fee;
    t.net += l.net;
    byCurrency.set(l.currency, t);
  }
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}
