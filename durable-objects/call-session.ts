import { DurableObject } from "cloudflare:workers";
export class CallSession extends DurableObject<Env> {
  ping(): string {
    return "pong";
  }
}
