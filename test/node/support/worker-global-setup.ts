// Placeholder: replaced once the local libSQL server lands (tools/libsql-server).
import type { TestProject } from "vitest/node";

declare module "vitest" {
  interface ProvidedContext {
    telnyxPublicKey: string;
    libsqlUrl: string;
  }
}

export default function setup(project: TestProject) {
  project.provide("telnyxPublicKey", "x");
  project.provide("libsqlUrl", "http://127.0.0.1:1");
}
