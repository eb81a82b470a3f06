/**
 * Prepaid calling cards: PIN batches (generated or uploaded), activation on first use, accounts
 * with a ledger, plans with packages and charges, rate decks with longest-prefix rating, and an
 * access line (two-stage, pinless or a DID bound to one destination) whose calls are reserved
 * against the card's balance, cut at it and settled once.
 */
import { loadConfig } from "../../config";
import { createDb } from "../../db/client";
import { eraseFlow, type ProductModule } from "../../engine/product";
import { applyPlanCharges } from "./charges/plan-charges";
import { cardCapability } from "./card-capability";
import { cardConfigSchema, parseCardConfig } from "./config";
import { cardFlow } from "./flow/card-flow";
import { accountsRouter } from "./routes/accounts";
import { batchesRouter } from "./routes/batches";
import { decksRouter } from "./routes/decks";
import { pinUploadRouter } from "./routes/pin-upload";
import { pinsRouter } from "./routes/pins";
import { plansRouter } from "./routes/plans";
import { cardReportsRouter } from "./routes/reports";

export const callingCardProduct: ProductModule = {
  name: "calling_card",
  summary: "Prepaid calling cards: PIN or caller ID, balance announced, rated calls cut at the balance.",
  flow: eraseFlow(cardFlow, parseCardConfig),
  configSchema: cardConfigSchema,
  lineProduct: true,
  capabilities: [cardCapability],
  routes: [
    plansRouter,
    batchesRouter,
    pinUploadRouter,
    pinsRouter,
    accountsRouter,
    decksRouter,
    cardReportsRouter,
  ],
  async scheduled(env, at) {
    const cfg = loadConfig(env);
    const run = await applyPlanCharges(createDb(cfg.TURSO_DATABASE_URL, cfg.TURSO_AUTH_TOKEN).$client, at);
    console.log(JSON.stringify({ msg: "card_charges", ...run }));
  },
};
