// Stores that only their owning service can reach (an in-process index, a cache it alone keys) are
// served over one internal HTTP shape, so the GDPR job treats local and remote stores alike:
//   POST /internal/v1/player-data/<store>/export  {gameId, playerId} -> NDJSON of ExportRecord
//   POST /internal/v1/player-data/<store>/erase   {gameId, playerId} -> EraseResult
// Both need a token with the `service` role (client credentials of the job runner).
import type { FastifyInstance } from "fastify";
import { authorize, AuthError, type TokenVerifier } from "../auth";
import type { EraseResult, ExportRecord, PlayerDataStore, PlayerRef } from "./types";

export const PLAYER_DATA_PATH = "/internal/v1/player-data";

const bodySchema = {
  type: "object",
  required: ["gameId", "playerId"],
  additionalProperties: false,
  properties: { gameId: { type: "string", minLength: 1, maxLength: 64 }, playerId: { type: "string", minLength: 1, maxLength: 128 } },
} as const;

/** Mounts the internal export/erase routes for `stores` on a service's fastify app. */
export function playerDataRoutes(app: FastifyInstance, stores: readonly PlayerDataStore[], verifier: TokenVerifier): void {
  const byName = new Map(stores.map((s) => [s.name, s]));
  app.register(async (scope) => {
    scope.addHook("onRequest", async (req) => {
      authorize(await verifier.authenticate(req.headers.authorization), { roles: ["service"] });
    });
    scope.setErrorHandler((err, _req, reply) => {
      if (err instanceof AuthError) return reply.code(err.status).send({ error: err.code, message: err.message });
      const status = (err as { statusCode?: number }).statusCode ?? 500;
      return reply.code(status).send({ error: status < 500 ? "bad_request" : "internal", message: (err as Error).message });
    });
    const storeOf = (name: string): PlayerDataStore => {
      const s = byName.get(name);
      if (s === undefined) throw Object.assign(new Error(`no store "${name}" here; this service has ${[...byName.keys()].join(", ")}`), { statusCode: 404 });
      return s;
    };
    scope.post<{ Params: { store: string }; Body: PlayerRef }>("/:store/export", { schema: { body: bodySchema } }, async (req, reply) => {
      const store = storeOf(req.params.store);
      const lines: string[] = [];
      await store.export(req.body, async (r) => void lines.push(JSON.stringify(r)));
      return reply.type("application/x-ndjson").send(lines.length === 0 ? "" : `${lines.join("\n")}\n`);
    });
    scope.post<{ Params: { store: string }; Body: PlayerRef }>("/:store/erase", { schema: { body: bodySchema } }, async (req) => storeOf(req.params.store).erase(req.body));
  }, { prefix: PLAYER_DATA_PATH });
}

/** The GDPR job's view of a store served by another service at `baseUrl`. */
export function remoteStore(name: string, baseUrl: string, token: () => Promise<string>, timeoutMs = 60_000): PlayerDataStore {
  const call = async (step: "export" | "erase", player: PlayerRef): Promise<Response> => {
    const res = await fetch(`${baseUrl.replace(/\/$/, "")}${PLAYER_DATA_PATH}/${encodeURIComponent(name)}/${step}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await token()}` },
      body: JSON.stringify({ gameId: player.gameId, playerId: player.playerId }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`store ${name} at ${baseUrl}: ${step} answered ${res.status}: ${await res.text()}`);
    return res;
  };
  return {
    name,
    export: async (player, emit) => {
      const text = await (await call("export", player)).text();
      const records = text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as ExportRecord);
      for (const r of records) await emit(r);
      return records.length;
    },
    erase: async (player) => (await (await call("erase", player)).json()) as EraseResult,
  };
}
