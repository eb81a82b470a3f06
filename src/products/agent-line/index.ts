/**
 * The invoiced agent line: callers recognised by number (or a customer code), blacklist, credit
 * reserved per call, an order per call, invoices at the credit limit, blocked until paid; the
 * billing service's paid callback at /webhooks/billing.
 */
import { cardPayments } from "../../card-payments/card-effects";
import { eraseFlow, type ProductModule } from "../../engine/product";
import { securePayments } from "../../secure-payments/secure-payment-effects";
import { agentLineEffects } from "./agent-line-effects";
import { agentLineFlow } from "./agent-line-flow";
import { blacklistRouter } from "./api/blacklist";
import { blacklistLiftRouter } from "./api/blacklist-lift";
import { customerHistoryRouter } from "./api/customer-history";
import { customerNotesRouter } from "./api/customer-notes";
import { customerNumbersRouter } from "./api/customer-numbers";
import { customerUpdateRouter } from "./api/customer-update";
import { customersRouter } from "./api/customers";
import { customersCsvRouter } from "./api/customers-csv";
import { directoryImportRouter } from "./api/directory-import";
import { directoryLookupRouter } from "./api/directory-lookup";
import { priceListArticlesRouter } from "./api/price-list-articles";
import { invoiceActionsRouter } from "./api/invoice-actions";
import { invoicesRouter } from "./api/invoices";
import { ordersRouter } from "./api/orders";
import { priceListsRouter } from "./api/price-lists";
import { agentLineConfigSchema, parseAgentLineConfig } from "./config";
import { billingCallback } from "./invoicing/billing-callback";

export const agentLineProduct: ProductModule = {
  name: "agent_line",
  summary: "Invoiced agent line: callers billed by invoice to the address their number is registered to.",
  flow: eraseFlow(agentLineFlow, parseAgentLineConfig),
  configSchema: agentLineConfigSchema,
  lineProduct: true,
  capabilities: [agentLineEffects, cardPayments, securePayments],
  routes: [
    customersRouter,
    customersCsvRouter,
    customerUpdateRouter,
    customerNumbersRouter,
    customerNotesRouter,
    customerHistoryRouter,
    directoryImportRouter,
    directoryLookupRouter,
    blacklistRouter,
    blacklistLiftRouter,
    priceListsRouter,
    priceListArticlesRouter,
    ordersRouter,
    invoicesRouter,
    invoiceActionsRouter,
  ],
  webhooks: [{ path: "billing", app: billingCallback }],
};
