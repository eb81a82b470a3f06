/**
 * The Worker's configuration check: every problem is reported by the variable's name, and no
 * value (secrets included) ever appears in the error.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config";

const valid = {
  TELNYX_API_BASE: "https://api.telnyx.com",
  TELNYX_API_KEY: "KEY0123456789secret",
  TELNYX_PUBLIC_KEY: "cHVibGljLWtleQ==",
  STRIPE_API_BASE: "https://api.stripe.com",
  STRIPE_SECRET_KEY: "sk_live_very_secret_value",
  STRIPE_WEBHOOK_SECRET: "whsec_very_secret_value",
  TURSO_DATABASE_URL: "libsql://meterline.turso.io",
  TURSO_AUTH_TOKEN: "turso-token-secret",
  ADMIN_TOKEN: "admin-token-long-enough-secret-0123456789",
  PIN_HMAC_KEY: "bWV0ZXJsaW5lLXRlc3QtcGluLWhtYWMta2V5LTMyYnk=",
  PIN_ENCRYPTION_KEY: "bWV0ZXJsaW5lLXRlc3QtcGluLWFlcy1rZXktMzJieXQ=",
};

describe("loadConfig", () => {
  it("accepts a complete configuration, with an empty Turso token for a local server", () => {
    expect(loadConfig({ ...valid, TURSO_AUTH_TOKEN: "" }).TURSO_DATABASE_URL).toBe(valid.TURSO_DATABASE_URL);
  });

  it("names every missing or malformed variable and shows none of the values", () => {
    const { ADMIN_TOKEN: _dropped, ...rest } = valid;
    const env = {
      ...rest,
      STRIPE_API_BASE: "not a url sk_live_very_secret_value",
      TURSO_DATABASE_URL: "postgres://x",
    };
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).names.sort()).toEqual([
      "ADMIN_TOKEN",
      "STRIPE_API_BASE",
      "TURSO_DATABASE_URL",
    ]);
    const message = (error as Error).message;
    for (const value of Object.values(env)) expect(message).not.toContain(value);
  });

  it("rejects an ADMIN_TOKEN the Bearer check could never accept, naming the allowed characters", () => {
    const token = "admin&token=long-enough-secret";
    let error: unknown;
    try {
      loadConfig({ ...valid, ADMIN_TOKEN: token });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).names).toEqual(["ADMIN_TOKEN"]);
    const message = (error as Error).message;
    expect(message).toContain("ADMIN_TOKEN may only contain letters, digits and . _ ~ + / -");
    expect(message).not.toContain(token);
    expect(message).not.toContain("admin&");
    // Base64-style tokens (with + / and trailing =) are what the Bearer check accepts.
    const base64ish = "aB3+/x_y-z.w~0123456789abcdefghij==";
    expect(loadConfig({ ...valid, ADMIN_TOKEN: base64ish }).ADMIN_TOKEN).toBe(base64ish);
  });

  it("rejects an ADMIN_TOKEN shorter than 32 characters, saying so without showing it", () => {
    const token = "a-31-character-admin-token-xxxx";
    expect(token).toHaveLength(31);
    let error: unknown;
    try {
      loadConfig({ ...valid, ADMIN_TOKEN: token });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).names).toEqual(["ADMIN_TOKEN"]);
    expect((error as Error).message).toContain("ADMIN_TOKEN must be at least 32 characters long");
    expect((error as Error).message).not.toContain(token);
    expect(loadConfig({ ...valid, ADMIN_TOKEN: `${token}x` }).ADMIN_TOKEN).toBe(`${token}x`);
  });
});

describe("PIN keys", () => {
  it("must each be 32 bytes of base64, named (never shown) when they are not", () => {
    let error: unknown;
    try {
      loadConfig({ ...valid, PIN_HMAC_KEY: "short-secret", PIN_ENCRYPTION_KEY: undefined });
    } catch (err) {
      error = err;
    }
    expect((error as ConfigError).names.sort()).toEqual(["PIN_ENCRYPTION_KEY", "PIN_HMAC_KEY"]);
    expect((error as Error).message).not.toContain("short-secret");
  });
});

describe("ADMIN_TOKEN_DISABLED", () => {
  const { ADMIN_TOKEN: _unused, ...withoutAdminToken } = valid;

  it("makes ADMIN_TOKEN unnecessary, as a string or a TOML boolean", () => {
    expect(loadConfig({ ...withoutAdminToken, ADMIN_TOKEN_DISABLED: "true" }).ADMIN_TOKEN).toBeNull();
    expect(loadConfig({ ...withoutAdminToken, ADMIN_TOKEN_DISABLED: true }).ADMIN_TOKEN).toBeNull();
  });

  it("ignores an ADMIN_TOKEN still set, so the bootstrap token cannot sign in", () => {
    expect(loadConfig({ ...valid, ADMIN_TOKEN_DISABLED: "true" }).ADMIN_TOKEN).toBeNull();
  });

  it("still requires ADMIN_TOKEN when false or absent, and names a malformed flag", () => {
    expect(() => loadConfig({ ...withoutAdminToken, ADMIN_TOKEN_DISABLED: "false" })).toThrow(ConfigError);
    expect(loadConfig({ ...valid, ADMIN_TOKEN_DISABLED: "false" }).ADMIN_TOKEN).toBe(valid.ADMIN_TOKEN);
    let error: unknown;
    try {
      loadConfig({ ...withoutAdminToken, ADMIN_TOKEN_DISABLED: "yes" });
    } catch (err) {
      error = err;
    }
    expect((error as ConfigError).names.sort()).toEqual(["ADMIN_TOKEN", "ADMIN_TOKEN_DISABLED"]);
  });
});
