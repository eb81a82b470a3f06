/**
 * Prepaid calling cards: PIN batches (generated or uploaded), activation on first use, accounts
 * with a ledger, plans with packages and charges, rate decks with longest-prefix rating, and an
 * access line (two-stage, pinless or a DID bound to one destination) whose calls are reserved
 * against the card's balance, cut at it and settled once.
 */
import { eraseFlow, type ProductModule } from "../../engine/product";
import { cardCapability } from "./card-capability";
import { cardConfigSchema, parseCardConfig } from "./config";
import { cardFlow } from "./flow/card-flow";
import { accountsRouter } from "./routes/accounts";
import { batchesRouter } from "./routes/batches";
import { decksRouter } from "./routes/decks";
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
  routes: [plansRouter, batchesRouter, pinsRouter, accountsRouter, decksRouter, cardReportsRouter],
};
