/**
 * The agent console in real Chromium (Debian's /usr/bin/chromium, driven by playwright-core) on
 * the real local stack: the demo agent signs in, sees "No call", then the softphone's call appear
 * without a reload; requests a payment (a bad amount is refused beside the field), and follows
 * each step live while the Telnyx stand-in plays the caller keying the card; the outcome and the
 * Turso record (brand + last 4) end up on screen; a dropped connection mid-payment resumes. A screenshot lands in .data/ci/ for a person to look at.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimClient } from "../../tools/phone/sim-client";
import { dial, type PhoneCall } from "../../tools/phone/softphone";
import { startLocalStack, type LocalStack } from "../../tools/local-stack/stack";

const CHROMIUM = "/usr/bin/chromium";
const root = path.resolve(import.meta.dirname, "../..");
let stack: LocalStack;
let dataDir: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
  dataDir = mkdtempSync(path.join(tmpdir(), "meterline-console-"));
  stack = await startLocalStack({ root, dataDir, port: 0, dbFile: ":memory:", telnyxTimeScale: 0.1 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu"],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const stepStatus = (page: Page, step: string) => page.locator(`#steps li[data-step="${step}"] .status`);

/** Waits for the caller's next prompt, then keys `digits`. */
async function key(call: PhoneCall, digits: string) {
  expect(await call.nextPrompt()).toBe(true);
  await call.press(digits);
}

describe("the agent console in Chromium", () => {
  it("follows a secure payment step by step to its record while the caller keys the card", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    const sockets: string[] = [];
    page.on("websocket", (ws) => sockets.push(ws.url()));
    await page.goto(`${stack.workerUrl}/console`);
    await page.fill("#token", "not-a-token");
    await page.click("#signin-form button[type=submit]");
    await expect.poll(() => page.textContent("#token-error")).toContain("not an agent token");
    await page.fill("#token", stack.agentToken);
    await page.click("#signin-form button[type=submit]");
    await page.locator("#no-call").waitFor({ state: "visible" });
    expect(await page.textContent("#no-call")).toBe("No call");
    expect(await page.textContent("#agent-name")).toBe("Dana (demo)");

    // The call appears without a reload.
    const call = await dial(createSimClient(stack.telnyxUrl), { from: "+15557774321", to: "+15550100001" });
    await key(call, "1");
    await page.locator("#call").waitFor({ state: "visible", timeout: 20_000 });
    expect(await page.textContent("#call-caller")).toBe("***4321");
    expect(await page.isVisible("#no-call")).toBe(false);

    // The form: X closes it; a bad amount is refused beside the field; then Send to Pay.
    await page.click("#actions summary");
    await page.click("#open-pay");
    expect(await page.textContent("#pay-symbol")).toBe("$");
    await page.click("#pay-close");
    expect(await page.isVisible("#pay-form")).toBe(false);
    await page.click("#actions summary");
    await page.click("#open-pay");
    await page.fill("#pay-item", "Annual plan");
    await page.fill("#pay-amount", "12.505");
    await page.click("#pay-send");
    expect(await page.textContent("#pay-amount-error")).toContain("12.50");
    await page.fill("#pay-amount", "12.50");
    await page.click("#pay-send");
    await page.locator("#payment").waitFor({ state: "visible" });
    expect(await page.textContent("#payment-what")).toBe("for Annual plan, $12.50");

    // The caller hears the amount and keys the card; each step shows live.
    await key(call, "1");
    await expect.poll(() => stepStatus(page, "amount").textContent(), { timeout: 15_000 }).toBe("complete ✓");
    await expect.poll(() => stepStatus(page, "number").textContent()).toBe("entering");
    expect(await stepStatus(page, "zip").textContent()).toBe("waiting");
    // The connection drops mid-payment: the console reconnects and the view carries on from there.
    expect(sockets).toHaveLength(1);
    await page.evaluate("s.ws.close()");
    await expect.poll(() => sockets.length, { timeout: 10_000 }).toBe(2);
    await expect.poll(() => page.textContent("#connection")).toBe("");
    expect(await stepStatus(page, "amount").textContent()).toBe("complete ✓");
    for (const [field, digits] of [
      ["number", "4242424242424242#"],
      ["expiry", "1230#"],
      ["cvc", "123#"],
      ["zip", "94107#"],
    ] as const) {
      await key(call, digits);
      await key(call, "1");
      await expect.poll(() => stepStatus(page, field).textContent(), { timeout: 15_000 }).toBe("complete ✓");
    }
    await expect
      .poll(() => page.textContent("#outcome"), { timeout: 20_000 })
      .toBe("Payment successful: visa ending 4242");
    await page.locator("#record").waitFor({ state: "visible", timeout: 15_000 });
    const record = await page.textContent("#record");
    expect(record).toContain("Success");
    expect(record).toContain("visa •••• 4242");
    expect(record).toContain("$12.50 USD");
    expect(record).toMatch(/Transactionsp_/);
    // Never a digit beyond the last 4, anywhere on the page.
    expect(await page.content()).not.toContain("4242424242424242");

    mkdirSync(path.join(root, ".data/ci"), { recursive: true });
    await page.screenshot({ path: path.join(root, ".data/ci/agent-console.png"), fullPage: true });

    // The caller is back with the agent; when the call ends the console is idle again.
    await call.hangup();
    await page.locator("#no-call").waitFor({ state: "visible", timeout: 20_000 });
    expect(problems).toEqual([]);
  }, 180_000);

  it("drives an assisted payment with its buttons: the agent stays on the line and asks for each field, again after a failure", async () => {
    // The demo line switches to assisted mode (the next call reads it).
    const patched = await fetch(`${stack.workerUrl}/api/v1/lines/ln_demo`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ config: { securePayments: { mode: "assisted" } } }),
    });
    expect(patched.status).toBe(200);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto(`${stack.workerUrl}/console`);
    await page.fill("#token", stack.agentToken);
    await page.click("#signin-form button[type=submit]");
    const call = await dial(createSimClient(stack.telnyxUrl), { from: "+15557775678", to: "+15550100001" });
    await key(call, "1");
    await page.locator("#call").waitFor({ state: "visible", timeout: 20_000 });
    await page.click("#actions summary");
    await page.click("#open-pay");
    await page.fill("#pay-item", "Repair visit");
    await page.fill("#pay-amount", "40");
    await page.click("#pay-send");
    await page.locator("#payment").waitFor({ state: "visible" });
    const button = (step: string) => page.locator(`#assist button[data-step="${step}"]`);

    // The caller confirms the amount; only then may the agent ask for a field.
    await key(call, "1");
    await expect.poll(() => stepStatus(page, "amount").textContent(), { timeout: 15_000 }).toBe("complete ✓");
    await expect.poll(() => button("number").isEnabled()).toBe(true);
    expect(await button("cvc").isEnabled()).toBe(false);
    expect(await button("charge").isEnabled()).toBe(false);

    // A number that fails Luhn three times: the field fails; the agent asks again.
    await button("number").click();
    await expect.poll(() => stepStatus(page, "number").textContent()).toBe("entering…");
    expect(await button("expiry").isEnabled()).toBe(false);
    for (let i = 0; i < 3; i++) await key(call, "4242424242424241#");
    await expect
      .poll(() => stepStatus(page, "number").textContent(), { timeout: 15_000 })
      .toBe("failed — ask again");
    await expect.poll(() => button("number").textContent()).toBe("Re-request card number");
    for (const [field, digits] of [
      ["number", "4242424242424242#"],
      ["zip", "94107#"],
      ["expiry", "1230#"],
      ["cvc", "123#"],
    ] as const) {
      await expect.poll(() => button(field).isEnabled(), { timeout: 15_000 }).toBe(true);
      await button(field).click();
      await key(call, digits);
      await key(call, "1");
      await expect.poll(() => stepStatus(page, field).textContent(), { timeout: 15_000 }).toBe("complete ✓");
    }
    await expect.poll(() => button("charge").isEnabled()).toBe(true);
    expect(await page.content()).not.toContain("4242424242424242");
    mkdirSync(path.join(root, ".data/ci"), { recursive: true });
    await page.screenshot({ path: path.join(root, ".data/ci/agent-console-assisted.png"), fullPage: true });

    await button("charge").click();
    await expect
      .poll(() => page.textContent("#outcome"), { timeout: 20_000 })
      .toBe("Payment successful: visa ending 4242");
    expect(await page.isVisible("#assist")).toBe(false);
    await page.locator("#record").waitFor({ state: "visible", timeout: 15_000 });
    expect(await page.textContent("#record")).toContain("$40.00 USD");

    // What the agent's leg received across the bridge (the stand-in honours mute_dtmf): no key
    // while the card was keyed; once the bridge is made again unmuted, keys pass once more.
    const bridges = stack.telnyx!.commands.filter((c) => c.action === "bridge" && c.executed);
    const muted = bridges.find((c) => (c.body as { mute_dtmf?: string }).mute_dtmf === "both");
    expect(muted).toBeDefined();
    const agentLeg = String((muted!.body as { call_control_id: string }).call_control_id);
    const tones = () => stack.telnyx!.heardBy(agentLeg).flatMap((h) => (h.kind === "tone" ? [h.digit] : []));
    expect(tones()).toEqual([]);
    await expect.poll(() => page.textContent("#payment-stage"), { timeout: 15_000 }).toBe("");
    await call.press("7");
    await expect.poll(() => tones()).toEqual(["7"]);
    await call.hangup();
    await page.locator("#no-call").waitFor({ state: "visible", timeout: 20_000 });
    expect(problems).toEqual([]);
  }, 240_000);
});
