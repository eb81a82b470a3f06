import { DurableObject } from "cloudflare:workers";
export class LineSession extends DurableObject<Env> {}
