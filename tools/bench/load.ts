/**
 * A closed-loop HTTP load generator for the bench's ceilings: `concurrency` clients, each sending
 * its next request as soon as the last one answered, for `seconds`. Keep-alive sockets, one per
 * client, so what is measured is the server's per-request cost rather than connection set-up.
 */
import http from "node:http";
import { percentile } from "./figures";

export interface LoadResult {
  requests: number;
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers outside 2xx–4xx or failed requests: a ceiling measured on errors is no ceiling. */
  errors: number;
}

export type LoadRequest = {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
};

export async function measureLoad(
  baseUrl: string,
  make: () => LoadRequest,
  opts: { concurrency: number; seconds: number },
): Promise<LoadResult> {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + opts.seconds * 1000;
  const started = performance.now();
  const one = (req: LoadRequest) =>
    new Promise<number>((resolve) => {
      const sent = performance.now();
      const r = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: req.method,
          path: req.path,
          agent,
          headers: req.body ? { ...req.headers, "content-length": Buffer.byteLength(req.body) } : req.headers,
        },
        (res) => {
          res.resume();
          res.on("end", () =>
            resolve(res.statusCode && res.statusCode < 500 ? performance.now() - sent : -1),
          );
        },
      );
      r.on("error", () => resolve(-1));
      r.end(req.body);
    });
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (performance.now() < until) {
        const ms = await one(make());
        if (ms < 0) errors += 1;
        else latencies.push(ms);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    perSec: Math.round(latencies.length / elapsed),
    p50Ms: round1(percentile(latencies, 50)),
    p99Ms: round1(percentile(latencies, 99)),
    errors,
  };
}

export const round1 = (n: number): number => Math.round(n * 10) / 10;
