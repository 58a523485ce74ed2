// How each provider's answers become outcomes (SMTP codes, push service statuses, FCM codes, SNS
// errors), the many-device push summary, templates (names used, rendering, locales) and config errors.
import { ConfigError } from "../../../apps/shared/config";
import { classifySmtpError, messageId } from "../../../apps/notifications/channels/email";
import { classifyFcmError, fcmMessage } from "../../../apps/notifications/channels/fcm";
import { classifySnsError } from "../../../apps/notifications/channels/sms";
import { retryAfterMs } from "../../../apps/notifications/channels/types";
import { classifyWebPushError, summarise } from "../../../apps/notifications/channels/webpush";
import { loadNotificationsConfig } from "../../../apps/notifications/config";
import type { PushTarget, Template } from "../../../apps/notifications/model";
import { checkContents, referencedNames, render, resolveLocale } from "../../../apps/notifications/templates";

const kindAndReason = (e: { kind: string; reason: string }) => [e.kind, e.reason];

test("SMTP: 4xx later, 5xx never (535 is our credentials, so later), no answer later, a bad envelope never", () => {
  expect(kindAndReason(classifySmtpError({ responseCode: 451, response: "451 4.3.0 later", message: "x" }))).toEqual(["transient", "smtp_451"]);
  expect(kindAndReason(classifySmtpError({ responseCode: 550, response: "550 5.1.1 unknown", message: "x" }))).toEqual(["permanent", "smtp_550"]);
  expect(kindAndReason(classifySmtpError({ code: "EAUTH", responseCode: 535, message: "Invalid login" }))).toEqual(["transient", "smtp_auth"]);
  expect(kindAndReason(classifySmtpError({ code: "ECONNECTION", message: "connect ECONNREFUSED 127.0.0.1:25" }))).toEqual(["transient", "connection_refused"]);
  expect(kindAndReason(classifySmtpError({ code: "ETIMEDOUT", message: "Timeout" }))).toEqual(["transient", "smtp_etimedout"]);
  expect(kindAndReason(classifySmtpError({ code: "EENVELOPE", message: "No recipients defined" }))).toEqual(["permanent", "invalid_address"]);
  expect(messageId("d-1", "Game <noreply@mail.game.com>")).toBe("<d-1@mail.game.com>");
  expect(messageId("d-1", "noreply@game.com")).toBe("<d-1@game.com>");
});

test("Web Push: 404/410 gone, 429 later with Retry-After, other 4xx never, no answer later", () => {
  const gone = classifyWebPushError({ statusCode: 410, body: "expired", message: "x" });
  expect([gone.kind, gone.reason, gone.gone]).toEqual(["permanent", "http_410", true]);
  const busy = classifyWebPushError({ statusCode: 429, headers: { "retry-after": "120" }, message: "x" });
  expect([busy.kind, busy.retryAfterMs, busy.gone]).toEqual(["transient", 120_000, false]);
  expect(kindAndReason(classifyWebPushError({ statusCode: 413, message: "x" }))).toEqual(["permanent", "http_413"]);
  expect(kindAndReason(classifyWebPushError({ statusCode: 503, message: "x" }))).toEqual(["transient", "http_503"]);
  expect(kindAndReason(classifyWebPushError({ code: "ECONNREFUSED", message: "refused" }))).toEqual(["transient", "connection_refused"]);
  expect(retryAfterMs("Wed, 21 Oct 2015 07:28:30 GMT", Date.parse("2015-10-21T07:28:00Z"))).toBe(30_000);
  expect(retryAfterMs("soon")).toBeUndefined();
});

test("FCM: unregistered and invalid tokens are gone, throttling and outages later, the rest never", () => {
  const g = classifyFcmError({ code: "messaging/registration-token-not-registered", message: "x" });
  expect([g.kind, g.reason, g.gone]).toEqual(["permanent", "fcm_registration_token_not_registered", true]);
  expect(kindAndReason(classifyFcmError({ code: "messaging/quota-exceeded", message: "x" }))).toEqual(["transient", "fcm_quota_exceeded"]);
  expect(kindAndReason(classifyFcmError({ code: "messaging/server-unavailable", message: "x" }))).toEqual(["transient", "fcm_server_unavailable"]);
  expect(kindAndReason(classifyFcmError({ code: "messaging/invalid-argument", message: "x" }))).toEqual(["permanent", "fcm_invalid_argument"]);
  const m = fcmMessage({ deliveryId: "d", notificationId: "n", gameId: "g", playerId: "p", category: "critical", content: { subject: "T", text: "B" } }, ["tok"]);
  expect(m).toMatchObject({ tokens: ["tok"], notification: { title: "T", body: "B" }, data: { notification_id: "n" }, android: { priority: "high" } });
});

test("SNS: throttling and 5xx later, 4xx never, no answer later", () => {
  expect(kindAndReason(classifySnsError({ name: "ThrottledException", message: "x", $metadata: { httpStatusCode: 400 } }))).toEqual(["transient", "sns_throttled"]);
  expect(kindAndReason(classifySnsError({ name: "InvalidParameterException", message: "x", $metadata: { httpStatusCode: 400 } }))).toEqual(["permanent", "sns_invalidparameter"]);
  expect(kindAndReason(classifySnsError({ name: "InternalErrorException", message: "x", $metadata: { httpStatusCode: 500 } }))).toEqual(["transient", "sns_internalerror"]);
  expect(kindAndReason(classifySnsError({ name: "TimeoutError", message: "socket hang up" }))).toEqual(["transient", "network_error"]);
});

test("push to many devices: delivered if any took it; refused if all refused for good; thrown if one may later", () => {
  const t = (id: string): PushTarget => ({ targetId: id, kind: "webpush", endpoint: `https://push/${id}`, p256dh: "k", auth: "a" });
  const gone = { ok: false as const, error: classifyWebPushError({ statusCode: 410, message: "x" }) };
  const busy = { ok: false as const, error: classifyWebPushError({ statusCode: 503, message: "x" }) };
  expect(summarise("webpush", [t("a"), t("b")], [{ ok: true, ref: "r" }, gone])).toEqual({ ref: "r", response: "webpush: 1/2 delivered; http_410", gone: ["b"] });
  const refused = summarise("webpush", [t("a")], [gone]);
  expect([refused.gone, refused.refused?.kind, refused.refused?.reason]).toEqual([["a"], "permanent", "http_410"]);
  expect(() => summarise("webpush", [t("a"), t("b")], [gone, busy])).toThrow("webpush: 0/2 delivered; http_410, http_503");
});

describe("templates", () => {
  const t: Template = {
    gameId: "g", templateId: "t", category: "transactional", variables: { name: { type: "string", required: true } }, defaultLocale: "en", digestWindowSec: 60, updatedAt: new Date(0),
    contents: {
      en: { email: { subject: "Hi\r\n{{name}}", text: "{{name}} & co", html: "<b>{{name}}</b>", digest: { subject: "{{count}} for you", text: "{{#each items}}{{name}};{{/each}}" } } },
      pt: { email: { subject: "Olá {{name}}", text: "{{name}}" } },
    },
  };
  test("the top-level names a template uses, outside each/with contexts; helpers beyond the built-ins refused", () => {
    expect([...referencedNames("{{a}} {{#if b}}{{c}}{{else}}{{d}}{{/if}} {{#each e}}{{f}}{{@index}}{{/each}} {{lookup g 'x'}} {{@root.h}}")].sort()).toEqual(["a", "b", "c", "d", "e", "g"]);
    expect(() => referencedNames("{{uppercase a}}")).toThrow('unknown helper "uppercase"');
    expect(() => referencedNames("{{#a}}x{{/a}}")).toThrow('unknown helper "a"');
  });
  test("contents checked against the declared variables, digest parts against items and count", () => {
    expect(checkContents({ ...t, contents: { en: { sms: { text: "{{name}} {{other}}", digest: { text: "{{count}} {{name}}" } } } } })).toEqual([
      { path: "/locales/en/sms/text", message: 'uses "other", which is not a declared variable (declared: name)' },
      { path: "/locales/en/sms/digest/text", message: 'uses "name", which is not a declared variable (declared: items, count)' },
    ]);
  });
  test("rendering: text unescaped, HTML escaped, subjects on one line; a digest for several items", () => {
    expect(render(t, "email", "en", [{ name: "<Ann>" }])).toEqual({ subject: "Hi <Ann>", text: "<Ann> & co", html: "<b>&lt;Ann&gt;</b>" });
    expect(render(t, "email", "en", [{ name: "a" }, { name: "b" }])).toEqual({ subject: "2 for you", text: "a;b;" });
  });
  test("locales: the requested one, its language, the player's, then the default", () => {
    expect(resolveLocale(t, "email", ["pt-BR", "en"])).toBe("pt");
    expect(resolveLocale(t, "email", [null, "de"])).toBe("en");
    expect(resolveLocale(t, "sms", [])).toBeUndefined();
  });
});

test("config errors name the key, the value and what is allowed", () => {
  const env = { AUTH_ISSUER: "http://127.0.0.1:1" };
  const fails = (extra: Record<string, string>) => () => loadNotificationsConfig({ ...env, ...extra });
  expect(fails({ NOTIFY_LEASE_MS: "5000", NOTIFY_SEND_TIMEOUT_MS: "5000" })).toThrow("NOTIFY_LEASE_MS=5000 must be longer than NOTIFY_SEND_TIMEOUT_MS=5000");
  expect(fails({ VAPID_PUBLIC_KEY: "k" })).toThrow("config VAPID_PRIVATE_KEY, VAPID_SUBJECT missing");
  expect(fails({ SMTP_FAILOVER_HOST: "smtp2" })).toThrow("SMTP_FAILOVER_HOST is set without SMTP_HOST");
  expect(fails({ SMTP_HOST: "smtp", EMAIL_FROM: "nobody" })).toThrow('EMAIL_FROM="nobody" is invalid');
  expect(fails({ SMS_PROVIDER: "carrier-pigeon" })).toThrow(ConfigError);
  expect(fails({ NOTIFY_MAX_ATTEMPTS_EMAIL: "0" })).toThrow('NOTIFY_MAX_ATTEMPTS_EMAIL="0" is invalid: expected an integer from 1 to 100');
  const ok = loadNotificationsConfig({ ...env, SMTP_HOST: "email-smtp.eu-west-1.amazonaws.com", SMTP_USERNAME: "AKIA", SMTP_PASSWORD: "p", EMAIL_FROM: "Game <noreply@game.com>" });
  expect(ok.email.primary).toMatchObject({ port: 587, secure: false, requireTls: true, user: "AKIA" });
});
