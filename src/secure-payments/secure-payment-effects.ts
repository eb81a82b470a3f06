/**
 * The secure-payments capability's one command: write a finished request's record to Turso,
 * then start its signed CRM delivery. Both are idempotent by the transaction id (the insert
 * ignores a second write; the delivery object sends once), so a retry after a failure in
 * between repeats nothing. Runs in its own lane, never holding up the caller's prompts.
 */
import { defineCapability } from "../engine/effect";
import { startCrmDelivery } from "./crm-activity";
import { agentNameOf, insertRecord } from "./payment-store";
import type { SecurePaymentCommand, SecurePaymentEvent } from "./vocabulary";

export const securePayments = defineCapability<SecurePaymentCommand>({
  name: "secure-payments",
  handlers: {
    record_secure_payment: {
      kind: "outbox",
      lane: () => "secure-payments",
      policy: "work",
      async run(cmd, fx) {
        const db = fx.deps.db();
        const agentName = await agentNameOf(db, cmd.record.agentId);
        await insertRecord(db, cmd.record, agentName);
        await startCrmDelivery(fx.deps.env, cmd.record, agentName);
        const event: SecurePaymentEvent = {
          type: "secure_payment_recorded",
          id: cmd.record.id,
          at: fx.now(),
        };
        return { kind: "done", event };
      },
    },
  },
  describeEvent(event) {
    const e = event as SecurePaymentEvent;
    return e.type === "secure_payment_recorded" ? { type: e.type, id: e.id } : undefined;
  },
});
