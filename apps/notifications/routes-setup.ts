// Setting up what is sent and to whom: templates and trigger rules (admins, audited), a player's
// preferences (game servers and support staff; staff changes audited) and push targets.
import type { FastifyInstance } from "fastify";
import { appendAudit } from "../shared/audit";
import { hasRole } from "../shared/auth";
import { inTransaction } from "../shared/pg";
import { actorOf, ApiError, principal, type AppDeps } from "./http";
import { upsertRule, upsertTemplate, type RuleInput, type TemplateInput } from "./catalog";
import { isTimeZone } from "./local-time";
import { addPushTarget, getPreferences, patchPreferences, removePushTarget, type PreferencesPatch } from "./recipients";
import { preferencesSchema, pushTargetSchema, ruleSchema, templateSchema } from "./schemas";
import { checkContents } from "./templates";

const GAME = "^[a-z0-9][a-z0-9_-]{0,63}$";
const ID = "^[a-z0-9][a-z0-9_.-]{0,63}$";
const gameAndId = { type: "object", properties: { game: { type: "string", pattern: GAME }, id: { type: "string", pattern: ID } } } as const;
const gameAndPlayer = { type: "object", properties: { game: { type: "string", pattern: GAME }, player: { type: "string", minLength: 1, maxLength: 128 } } } as const;

type GameId = { game: string; id: string };
type GamePlayer = { game: string; player: string };
type PushTargetBody = { kind: "webpush"; subscription: { endpoint: string; keys: { p256dh: string; auth: string } } } | { kind: "fcm"; token: string };

export function registerSetupRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.put<{ Params: GameId; Body: TemplateInput }>("/v1/games/:game/templates/:id", { schema: { params: gameAndId, body: templateSchema } }, async (req, reply) => {
    const p = await principal(deps, req, ["admin"], req.params.game);
    const t = req.body;
    const problems = checkContents({ contents: t.locales, variables: t.variables, defaultLocale: t.default_locale });
    if (problems.length > 0) throw new ApiError(422, "invalid_template", "the template's contents do not fit its variables", problems);
    const { created } = await inTransaction(deps.pool, async (c) => {
      const r = await upsertTemplate(c, req.params.game, req.params.id, t);
      await appendAudit(c, { actor: actorOf(p), action: "notifications.template.put", target: `game:${req.params.game}`, details: { template: req.params.id, category: t.category, locales: Object.keys(t.locales) } });
      return r;
    });
    deps.templates.invalidate(req.params.game, req.params.id);
    return reply.code(created ? 201 : 200).send({ game_id: req.params.game, template: req.params.id, created });
  });

  app.get<{ Params: GameId }>("/v1/games/:game/templates/:id", { schema: { params: gameAndId } }, async (req) => {
    await principal(deps, req, ["admin", "support", "service"], req.params.game);
    const t = await deps.templates.get(req.params.game, req.params.id);
    if (t === undefined) throw new ApiError(404, "not_found", `game "${req.params.game}" has no template "${req.params.id}"`);
    return { category: t.category, default_locale: t.defaultLocale, variables: t.variables, locales: t.contents, digest_window_sec: t.digestWindowSec, updated_at: t.updatedAt };
  });

  app.put<{ Params: GameId; Body: RuleInput }>("/v1/games/:game/rules/:id", { schema: { params: gameAndId, body: ruleSchema } }, async (req, reply) => {
    const p = await principal(deps, req, ["admin"], req.params.game);
    const template = await deps.templates.get(req.params.game, req.body.template);
    if (template === undefined) throw new ApiError(422, "unknown_template", "the rule names a template the game does not have", [{ path: "/template", message: `game "${req.params.game}" has no template "${req.body.template}"` }]);
    const { created } = await inTransaction(deps.pool, async (c) => {
      const r = await upsertRule(c, req.params.game, req.params.id, req.body);
      await appendAudit(c, { actor: actorOf(p), action: "notifications.rule.put", target: `game:${req.params.game}`, details: { rule: req.params.id, event_type: req.body.event_type, template: req.body.template } });
      return r;
    });
    deps.rules.invalidate();
    return reply.code(created ? 201 : 200).send({ game_id: req.params.game, rule: req.params.id, created });
  });

  app.patch<{ Params: GamePlayer; Body: PreferencesPatch }>("/v1/games/:game/players/:player/preferences", { schema: { params: gameAndPlayer, body: preferencesSchema } }, async (req) => {
    const p = await principal(deps, req, ["service", "support", "admin"], req.params.game);
    const tz = req.body.time_zone;
    if (tz !== undefined && !isTimeZone(tz)) throw new ApiError(422, "invalid_request", "unknown time zone", [{ path: "/time_zone", message: `"${tz}" is not an IANA time zone (e.g. Europe/Paris)` }]);
    const { game, player } = req.params;
    await inTransaction(deps.pool, async (c) => {
      await patchPreferences(c, game, player, req.body);
      // Game servers relay the player's own choices; a member of staff changing them is worth a record.
      if (!hasRole(p, "service")) await appendAudit(c, { actor: actorOf(p), action: "notifications.preferences.patch", target: `player:${game}/${player}`, details: { fields: Object.keys(req.body) } });
    });
    return getPreferences(deps.pool, game, player);
  });

  app.get<{ Params: GamePlayer }>("/v1/games/:game/players/:player/preferences", { schema: { params: gameAndPlayer } }, async (req) => {
    await principal(deps, req, ["service", "support", "admin"], req.params.game);
    return getPreferences(deps.pool, req.params.game, req.params.player);
  });

  app.post<{ Params: GamePlayer; Body: PushTargetBody }>("/v1/games/:game/players/:player/push-targets", { schema: { params: gameAndPlayer, body: pushTargetSchema } }, async (req, reply) => {
    await principal(deps, req, ["service", "admin"], req.params.game);
    const b = req.body;
    if (!deps.pushKinds.includes(b.kind)) throw new ApiError(422, "channel_not_configured", `${b.kind} push is not configured on this platform`, [{ path: "/kind", message: `configured: ${deps.pushKinds.join(", ") || "none"}` }]);
    const target =
      b.kind === "webpush" ? { kind: b.kind, endpoint: b.subscription.endpoint, p256dh: b.subscription.keys.p256dh, auth: b.subscription.keys.auth } : { kind: b.kind, endpoint: b.token, p256dh: null, auth: null };
    const id = await addPushTarget(deps.pool, req.params.game, req.params.player, target);
    return reply.code(201).send({ target_id: id });
  });

  app.delete<{ Params: GamePlayer & { target: string } }>("/v1/games/:game/players/:player/push-targets/:target", async (req, reply) => {
    await principal(deps, req, ["service", "admin"], req.params.game);
    if (!/^[0-9a-f-]{36}$/.test(req.params.target) || !(await removePushTarget(deps.pool, req.params.game, req.params.player, req.params.target))) {
      throw new ApiError(404, "not_found", `no push target ${req.params.target} for this player`);
    }
    return reply.code(204).send();
  });
}
