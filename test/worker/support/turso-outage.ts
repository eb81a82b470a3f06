/**
 * Turso unreachable, at the fetch boundary inside workerd: while `down`, every request to the
 * libSQL server fails as a lost connection would, for the Worker, its Durable Objects and the test
 * alike. Install it after the other fakes (it wraps their fetch); uninstall restores theirs.
 */
import { env } from "cloudflare:workers";

export class TursoOutage {
  down = false;
  /** Requests refused while down. */
  refused = 0;
  private previous: typeof fetch | null = null;

  install(): void {
    this.previous = globalThis.fetch;
    const inner = globalThis.fetch.bind(globalThis);
    const base = env.TURSO_DATABASE_URL;
    globalThis.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (this.down && url.startsWith(base)) {
        this.refused += 1;
        return Promise.reject(new TypeError("Network connection lost (Turso outage injected by the test)"));
      }
      return inner(input, init);
    };
  }

  uninstall(): void {
    if (this.previous) globalThis.fetch = this.previous;
    this.previous = null;
    this.down = false;
    this.refused = 0;
  }
}
