/**
 * The agent console's one page, server-rendered with Hono JSX: sign-in, the agent's current call,
 * the Request Payment form and the payment's live steps. Everything that changes is filled in by
 * the small inline script (console-script.ts) from the API and the call's live WebSocket; the page
 * loads nothing from another origin, so it works on a fresh clone with no internet.
 */
import { raw } from "hono/html";
import type { FC } from "hono/jsx";
import { CONSOLE_SCRIPT } from "./console-script";
import { CONSOLE_STYLE } from "./console-style";

/** The payment's steps as the agent sees them, in the order the caller goes through them. */
export const STEP_LABELS = [
  ["amount", "Amount confirmed"],
  ["number", "Card number"],
  ["expiry", "Expiry"],
  ["cvc", "CVC"],
  ["zip", "ZIP"],
] as const;

const SignIn: FC = () => (
  <section id="signin" class="card">
    <h2>Sign in</h2>
    <form id="signin-form" novalidate>
      <label for="token">Agent token</label>
      <input id="token" name="token" type="password" autocomplete="off" spellcheck={false} required />
      <span class="field-error" id="token-error" role="alert"></span>
      <button type="submit">Sign in</button>
    </form>
  </section>
);

const PaymentForm: FC = () => (
  <form id="pay-form" class="card" hidden novalidate>
    <header>
      <h3>Request Payment</h3>
      <button type="button" id="pay-close" class="icon" aria-label="Close without sending">
        ✕
      </button>
    </header>
    <label for="pay-item">Item</label>
    <input id="pay-item" name="item" maxlength={80} autocomplete="off" />
    <span class="field-error" id="pay-item-error" role="alert"></span>
    <label for="pay-amount">Amount</label>
    <div class="money">
      <span id="pay-symbol" class="symbol"></span>
      <input id="pay-amount" name="amount" inputmode="decimal" autocomplete="off" />
    </div>
    <span class="field-error" id="pay-amount-error" role="alert"></span>
    <span class="field-error" id="pay-form-error" role="alert"></span>
    <button type="submit" id="pay-send">
      Send to Pay
    </button>
  </form>
);

/** Assisted mode: the agent asks for each field (again), then charges; one action per click. */
export const ASSIST_BUTTONS = [
  ["number", "card number"],
  ["expiry", "expiry"],
  ["cvc", "CVC"],
  ["zip", "ZIP / postal code"],
] as const;

const AssistButtons: FC = () => (
  <div id="assist" hidden>
    {ASSIST_BUTTONS.map(([step, name]) => (
      <button type="button" data-step={step} data-name={name} disabled>
        Request {name}
      </button>
    ))}
    <button type="button" data-step="charge" id="assist-charge" disabled>
      Complete (charge)
    </button>
    <p id="assist-note" class="muted"></p>
    <span class="field-error" id="assist-error" role="alert"></span>
  </div>
);

const PaymentProgress: FC = () => (
  <section id="payment" class="card" hidden aria-live="polite">
    <h3>
      Payment <span id="payment-what"></span>
    </h3>
    <ol id="steps">
      {STEP_LABELS.map(([step, label]) => (
        <li data-step={step} data-status="waiting">
          <span class="label">{label}</span> <span class="status">waiting</span>
        </li>
      ))}
    </ol>
    <p id="payment-stage" class="muted"></p>
    <AssistButtons />
    <button type="button" id="pay-cancel" class="secondary" hidden>
      Cancel request
    </button>
    <div id="outcome" role="status" hidden></div>
    <dl id="record" hidden></dl>
  </section>
);

const Desk: FC = () => (
  <section id="desk" hidden>
    <p class="who">
      <span id="agent-name"></span> · <span id="agent-line"></span>
      <button type="button" id="signout" class="link">
        Sign out
      </button>
    </p>
    <p id="connection" class="muted"></p>
    <div id="no-call" class="card idle">
      No call
    </div>
    <section id="call" class="card" hidden>
      <h2>
        Caller <span id="call-caller"></span>
      </h2>
      <p>
        <span id="call-line"></span> · talk time <strong id="call-talk">0:00</strong>{" "}
        <span id="call-paused" class="badge" hidden>
          paused for payment
        </span>
      </p>
      <details id="actions">
        <summary>Actions</summary>
        <button type="button" id="open-pay">
          Request Payment
        </button>
      </details>
    </section>
    <PaymentForm />
    <PaymentProgress />
  </section>
);

export const ConsolePage: FC<{ nonce: string }> = ({ nonce }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>Meterline agent console</title>
      <style nonce={nonce}>{raw(CONSOLE_STYLE)}</style>
    </head>
    <body>
      <header class="top">
        <h1>Meterline agent console</h1>
      </header>
      <main>
        <SignIn />
        <Desk />
      </main>
      <script nonce={nonce}>{raw(CONSOLE_SCRIPT)}</script>
    </body>
  </html>
);
