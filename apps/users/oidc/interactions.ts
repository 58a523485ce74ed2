// The provider's interactions: the staff login (password, optional TOTP, throttled per account and
// per source, audited) and consent, which is granted without a prompt: every client is first-party,
// registered by an admin for the scopes it asks.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type Provider from "oidc-provider";
import type { Pool } from "pg";
import { appendAudit } from "../../shared/audit";
import { inTransaction } from "../../shared/pg";
import type { UsersMetrics } from "../metrics";
import { DUMMY_HASH, verifyPassword } from "../passwords";
import type { ServiceSecrets } from "../secrets";
import { findStaffForLogin } from "../staff";
import type { LoginThrottle } from "../throttle";
import { checkTotp } from "../totp";
import { loginPage } from "./login-page";
import { INTERACTION_PATH } from "./provider";

export interface InteractionDeps {
  readonly provider: Provider;
  readonly pool: Pool;
  readonly secrets: ServiceSecrets;
  readonly throttle: LoginThrottle;
  readonly metrics: UsersMetrics;
}

type LoginForm = { email?: string; password?: string; totp?: string };
type Outcome = { ok: true; accountId: string; amr: string[] } | { ok: false; reason: string; message: string; retryAfterSec?: number };

async function checkLogin(d: InteractionDeps, form: LoginForm, source: string): Promise<Outcome> {
  const email = (form.email ?? "").trim().toLowerCase();
  const wait = await d.throttle.blockedFor(email, source);
  if (wait > 0) return { ok: false, reason: "throttled", message: `too many failed sign-ins; try again in ${wait} s`, retryAfterSec: wait };
  const found = await findStaffForLogin(d.pool, email);
  // Unknown emails cost one scrypt too, so timing does not tell which accounts exist.
  const passwordOk = await verifyPassword(form.password ?? "", found?.passwordHash ?? DUMMY_HASH);
  const fail = (reason: string): Outcome => ({ ok: false, reason, message: "wrong email, password or authenticator code" });
  if (found === undefined || !passwordOk) return fail(found === undefined ? "unknown_account" : "bad_password");
  if (found.account.disabled) return fail("disabled");
  if (found.totpSealed !== null && !checkTotp(d.secrets.unseal(found.totpSealed), (form.totp ?? "").trim())) return fail("bad_totp");
  return { ok: true, accountId: found.account.accountId, amr: found.totpSealed === null ? ["pwd"] : ["pwd", "otp"] };
}

/** oidc-provider writes its redirect straight to the Node response. */
function handOver(reply: FastifyReply): void {
  reply.hijack();
}

async function grantConsent(provider: Provider, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const details = await provider.interactionDetails(req.raw, reply.raw);
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  const grant =
    (details.grantId === undefined ? undefined : await provider.Grant.find(details.grantId)) ??
    new provider.Grant({ accountId: details.session?.accountId, clientId: details.params.client_id as string });
  if (missing.missingOIDCScope !== undefined) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
  if (missing.missingOIDCClaims !== undefined) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(" "));
  handOver(reply);
  await provider.interactionFinished(req.raw, reply.raw, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
}

export function interactionRoutes(app: FastifyInstance, d: InteractionDeps): void {
  app.register(async (scope) => {
    scope.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 8 * 1024 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.get<{ Params: { uid: string } }>("/:uid", async (req, reply) => {
      const details = await d.provider.interactionDetails(req.raw, reply.raw);
      if (details.prompt.name === "consent") return grantConsent(d.provider, req, reply);
      return reply.type("text/html").send(loginPage({ action: `${INTERACTION_PATH}/${req.params.uid}/login`, client: String(details.params.client_id) }));
    });
    scope.post<{ Params: { uid: string }; Body: LoginForm }>("/:uid/login", async (req, reply) => {
      const details = await d.provider.interactionDetails(req.raw, reply.raw);
      if (details.prompt.name !== "login") return reply.code(400).send({ error: "invalid_request", message: "this interaction does not ask for a login" });
      const form = req.body ?? {};
      const email = (form.email ?? "").trim().toLowerCase();
      const outcome = await checkLogin(d, form, req.ip);
      d.metrics.logins.inc({ outcome: outcome.ok ? "ok" : outcome.reason });
      const client = String(details.params.client_id);
      if (!outcome.ok) {
        if (outcome.reason !== "throttled") await d.throttle.recordFailure(email, req.ip);
        await inTransaction(d.pool, (c) => appendAudit(c, { actor: `staff:${email}`, action: "staff.login_failed", target: `client:${client}`, details: { reason: outcome.reason, source: req.ip } }));
        const page = loginPage({ action: `${INTERACTION_PATH}/${req.params.uid}/login`, client, email, error: outcome.message });
        return reply.code(outcome.reason === "throttled" ? 429 : 401).headers(outcome.retryAfterSec === undefined ? {} : { "retry-after": String(outcome.retryAfterSec) }).type("text/html").send(page);
      }
      await d.throttle.recordSuccess(email);
      await inTransaction(d.pool, (c) => appendAudit(c, { actor: `staff:${outcome.accountId}`, action: "staff.login", target: `client:${client}`, details: { amr: outcome.amr, source: req.ip } }));
      handOver(reply);
      await d.provider.interactionFinished(req.raw, reply.raw, { login: { accountId: outcome.accountId, amr: outcome.amr, remember: false } }, { mergeWithLastSubmission: false });
    });
  }, { prefix: INTERACTION_PATH });
}
