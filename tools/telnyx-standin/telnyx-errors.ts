/**
 * Telnyx-shaped API errors (`{"errors":[{code,title,detail,source?}]}`), with the codes and wording
 * of Telnyx's published spec. The stand-in's handlers throw these; the router turns them into replies.
 */
export class TelnyxError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly pointer?: string,
  ) {
    super(`${status} ${code} ${title}`);
    this.name = "TelnyxError";
  }

  toBody(): { errors: Array<Record<string, unknown>> } {
    const error: Record<string, unknown> = { code: this.code, title: this.title, detail: this.detail };
    if (this.pointer) error.source = { pointer: this.pointer };
    return { errors: [error] };
  }
}

const TITLES: Record<string, string> = {
  "10007": "Service unavailable",
  "10011": "Too many requests",
  "90018": "Call has already ended",
  "90034": "Call not answered yet",
  "90015": "Invalid Call Control ID",
};

export const telnyxErrors = {
  authFailed: () =>
    new TelnyxError(
      401,
      "10009",
      "Authentication failed",
      "The required authentication headers were either invalid or not included in the request.",
    ),
  notFound: (path: string) => new TelnyxError(404, "10005", "Resource not found", `No route for ${path}.`),
  badJson: () => new TelnyxError(400, "10002", "Invalid request body", "The request body is not valid JSON."),
  callEnded: () =>
    new TelnyxError(
      422,
      "90018",
      "Call has already ended",
      "This call is no longer active and can't receive commands.",
    ),
  notAnswered: () =>
    new TelnyxError(
      422,
      "90034",
      "Call not answered yet",
      "This call can't receive this command because it has not been answered yet.",
    ),
  invalidCallControlId: (pointer = "/call_control_id") =>
    new TelnyxError(
      422,
      "90015",
      "Invalid Call Control ID",
      "The call_control_id provided was not valid.",
      pointer,
    ),
  missing: (param: string) =>
    new TelnyxError(
      422,
      "10004",
      "Missing required parameter",
      `The '${param}' parameter is required and cannot be blank.`,
      `/${param}`,
    ),
  invalidType: (param: string, expected: string) =>
    new TelnyxError(
      422,
      "10002",
      "Invalid parameter",
      `The '${param}' parameter must be ${expected}.`,
      `/${param}`,
    ),
  invalidEnum: (param: string, values: readonly string[]) =>
    new TelnyxError(
      422,
      "10032",
      "Invalid enumerated value",
      `The value must be one of: ${values.join(", ")}.`,
      `/${param}`,
    ),
  outOfRange: (param: string, min: number, max: number) =>
    new TelnyxError(
      422,
      "10033",
      "Value outside of range",
      `The value is outside of allowed range ${min} to ${max}`,
      `/${param}`,
    ),
  queueFull: (queue: string) =>
    new TelnyxError(422, "90036", "Queue full", `The '${queue}' queue is full and can't accept more calls.`),
  alreadyInQueue: () =>
    new TelnyxError(422, "90038", "Call already in queue", "Call can't be added to a queue it's already in."),
  /** An error a test asked for with failNext. */
  injected: (status: number, code?: string) => {
    const c = code ?? (status === 503 ? "10007" : status === 429 ? "10011" : "90018");
    return new TelnyxError(status, c, TITLES[c] ?? "Injected failure", "Failure injected by the stand-in.");
  },
};
