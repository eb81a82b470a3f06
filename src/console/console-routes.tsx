/**
 * GET /console: the agent console page. It holds no data and needs no auth to load (the agent
 * signs in on the page; every call it makes is authorized by the agent's token). A strict Content
 * Security Policy lets only this response's own inline style and script run, and only talk to us.
 */
import { Hono } from "hono";
import { html } from "hono/html";
import { ConsolePage } from "./console-page";

export const consoleApp = new Hono<{ Bindings: Env }>().get("/", (c) => {
  const nonce = crypto.randomUUID().replaceAll("-", "");
  c.header(
    "content-security-policy",
    `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  );
  c.header("cache-control", "no-store");
  c.header("referrer-policy", "no-referrer");
  return c.html(html`<!doctype html>${(<ConsolePage nonce={nonce} />)}`);
});
