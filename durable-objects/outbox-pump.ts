/**
 * Sends a CallSession's outbox: every lane whose head is due runs, lanes side by side, each lane
 * strictly in order (a command that must wait holds back only its own lane). What comes of each
 * command — done, retry later, give up, dead-letter — follows its handler's retry policy.
 */
import type { EffectHandler, EffectOutcome } from "../src/engine/effect";
import type { Tagged, TaggedEvent } from "../src/ivr/types";
import { logCallError, logCallIssue } from "../src/log/call-log";
import type { CallStore, OutboxRow } from "./call-store";
import { DEAD_LETTER_RETRY_MS, planRetry } from "./retry-policy";

export interface PumpHost {
  store(): CallStore;
  sessionId(): string;
  handlerFor(type: string): EffectHandler<Tagged> | undefined;
  /** Runs one command; errors it throws are classified by the host into outcomes. */
  run(row: OutboxRow): Promise<EffectOutcome>;
  /** Completes the row and feeds its result to the flow, in one storage transaction. */
  finish(row: OutboxRow, event: TaggedEvent | undefined): void;
  /** Called after a command finished with a result (the call may have changed). */
  changed(): void;
}

export class OutboxPump {
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly host: PumpHost) {}

  /** Runs every lane due by `dueBy` until none is; resolves when every lane has stopped. */
  async drain(dueBy: number): Promise<void> {
    this.startDue(dueBy);
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  get busy(): boolean {
    return this.running.size > 0;
  }

  private startDue(dueBy: number): void {
    const now = Math.max(dueBy, Date.now());
    for (const head of this.host.store().laneHeads()) {
      if (head.nextAt > now || this.running.has(head.lane)) continue;
      const lane = head.lane;
      this.running.set(
        lane,
        this.runLane(lane, dueBy).finally(() => this.running.delete(lane)),
      );
    }
  }

  private async runLane(lane: string, dueBy: number): Promise<void> {
    const store = this.host.store();
    for (
      let head = store.laneHead(lane);
      head && head.nextAt <= Math.max(dueBy, Date.now());
      head = store.laneHead(lane)
    ) {
      const outcome = await this.host.run(head);
      if (!this.settle(head, outcome)) return;
      this.host.changed();
      // A result may have put work in other lanes (the flow answered it): start those too.
      this.startDue(dueBy);
    }
  }

  /** Applies an outcome; false when the lane must wait (the head was deferred). */
  private settle(row: OutboxRow, outcome: EffectOutcome): boolean {
    const store = this.host.store();
    const handler = this.host.handlerFor(row.command.type);
    const instead = () =>
      handler?.kind === "outbox" ? handler.instead?.(row.command, Date.now()) : undefined;
    const detail = { command: row.command.type, lane: row.lane };
    if (outcome.kind === "done") {
      this.host.finish(row, outcome.event);
      return true;
    }
    if (outcome.kind === "drop") {
      logCallIssue(this.host.sessionId(), "command_final_error", { ...detail, reason: outcome.reason });
      this.host.finish(row, outcome.event ?? instead());
      return true;
    }
    const attempts = row.attempts + 1;
    const plan = planRetry(row.policy, attempts);
    const why = { ...detail, attempts, reason: outcome.reason };
    switch (plan.kind) {
      case "retry":
        if (plan.alert) logCallError(this.host.sessionId(), "money_command_stuck", why);
        else logCallIssue(this.host.sessionId(), "command_retry", why);
        store.deferCommand(row.seq, attempts, Date.now() + plan.delayMs);
        return false;
      case "give_up":
        logCallIssue(this.host.sessionId(), "command_dropped", why);
        this.host.finish(row, instead());
        return true;
      case "dead_letter":
        logCallError(this.host.sessionId(), "dead_letter", why);
        store.deadLetter({ ...row, attempts }, outcome.reason, Date.now(), Date.now() + DEAD_LETTER_RETRY_MS);
        return true;
    }
  }
}
