/**
 * The softphone's DTMF send queue: one request to the stand-in at a time, in the order keys were
 * pressed. Keys pressed while a request is in flight wait and leave together as one digit string.
 * Why: requests sent side by side travel over separate connections and may arrive in any order,
 * which scrambles a pasted or fast-typed card number. Transport only; it knows nothing of calls.
 */

export type KeySender = {
  /** Queues digits; resolves once the request carrying them was answered, rejects if it failed. */
  send(digits: string): Promise<void>;
};

type Waiter = { resolve: () => void; reject: (err: unknown) => void };

/** `onSending` sees each digit string as its request leaves, in order (the terminal echoes it). */
export function createKeySender(
  transport: (digits: string) => Promise<void>,
  onSending: (digits: string) => void = () => undefined,
): KeySender {
  let pending = "";
  let waiters: Waiter[] = [];
  let busy = false;

  async function drain(): Promise<void> {
    busy = true;
    while (pending) {
      const digits = pending;
      const batch = waiters;
      pending = "";
      waiters = [];
      try {
        onSending(digits);
        await transport(digits);
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    busy = false;
  }

  return {
    send(digits) {
      if (!digits) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        pending += digits;
        waiters.push({ resolve, reject });
        if (!busy) void drain();
      });
    },
  };
}
