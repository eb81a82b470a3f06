import type { TestProject } from "vitest/node";
export default function setup(project: TestProject) {
  project.provide("telnyxPublicKey", "x");
  project.provide("libsqlUrl", "http://127.0.0.1:1");
}
