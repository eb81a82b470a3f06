/**
 * How secure payments reach into an advice line's talk: where its talk and payments live, the
 * line's payment settings in its own currency, and its talk config (so the cutoff the hold affords
 * resumes moved by the time the payment took: the caller is not billed for keying a card).
 */
import { settingsFor, type SecurePaymentSettings } from "../../secure-payments/config";
import type { TalkHost } from "../../secure-payments/during-talk";
import type { AdviceCtx, AdviceState } from "./advice-state";
import { talkConfig } from "./advice-talk";
import type { AdviceConfig } from "./config";

export const paymentSettings = (cfg: AdviceConfig): SecurePaymentSettings =>
  settingsFor(cfg.securePayments, cfg.currency, cfg.platformFeeBasisPoints);

export const advicePayments: TalkHost<AdviceState, AdviceCtx> = {
  talk: (s) => s.talk,
  withTalk: (s, talk) => ({ ...s, talk }),
  payments: (s) => s.securePayments,
  withPayments: (s, securePayments) => ({ ...s, securePayments }),
  agentId: (s) => s.agent?.id ?? null,
  settings: (ctx) => paymentSettings(ctx.line.config),
  talkConfig,
};
