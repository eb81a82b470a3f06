// Values the Node-side global setup (test/node/support/worker-global-setup.ts) provides.
declare module "vitest" {
  interface ProvidedContext {
    telnyxPublicKey: string;
    telnyxPrivateKey: string;
    libsqlUrl: string;
    stripeUrl: string;
    billingUrl: string;
    crmUrl: string;
  }
}
export {};
