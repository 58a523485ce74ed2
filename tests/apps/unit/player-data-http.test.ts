// The internal store routes and the remote-store client, over real HTTP with real tokens.
import Fastify, { type FastifyInstance } from "fastify";
import { createTokenVerifier } from "../../../apps/shared/auth";
import { playerDataRoutes, remoteStore } from "../../../apps/shared/player-data/http";
import type { PlayerDataStore, PlayerRef } from "../../../apps/shared/player-data/types";
import { type DevIssuer, startDevIssuer } from "../../../local/dev-issuer";

let issuer: DevIssuer;
let app: FastifyInstance;
let url: string;
const rows = new Map<string, { n: number }[]>([["g1/p1", [{ n: 1 }, { n: 2 }]], ["g1/p2", [{ n: 3 }]]]);
const key = (p: PlayerRef) => `${p.gameId}/${p.playerId}`;
// A store over a plain map: what is under test is the transport, not a database.
const store: PlayerDataStore = {
  name: "things",
  export: async (p, emit) => {
    const mine = rows.get(key(p)) ?? [];
    for (const data of mine) await emit({ store: "things", kind: "thing", data });
    return mine.length;
  },
  erase: async (p) => {
    const removed = rows.get(key(p))?.length ?? 0;
    rows.delete(key(p));
    return { removed };
  },
};

beforeAll(async () => {
  issuer = await startDevIssuer();
  app = Fastify();
  playerDataRoutes(app, [store], createTokenVerifier({ issuer: issuer.issuer, audience: "gamemetrics-api" }));
  url = await app.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => Promise.all([app.close(), issuer.close()]));

const serviceToken = () => issuer.mint({ clientId: "users", roles: ["service"], games: "*" });

it("exports and erases one player's records through the remote store, idempotently", async () => {
  const remote = remoteStore("things", url, serviceToken);
  const got: unknown[] = [];
  expect(await remote.export({ gameId: "g1", playerId: "p1" }, async (r) => void got.push(r))).toBe(2);
  expect(got).toEqual([{ store: "things", kind: "thing", data: { n: 1 } }, { store: "things", kind: "thing", data: { n: 2 } }]);
  expect(await remote.erase({ gameId: "g1", playerId: "p1" })).toEqual({ removed: 2 });
  expect(await remote.erase({ gameId: "g1", playerId: "p1" })).toEqual({ removed: 0 });
  expect(rows.get("g1/p2")).toEqual([{ n: 3 }]);
});

it("refuses callers without the service role, unknown stores and malformed bodies", async () => {
  const analyst = remoteStore("things", url, () => issuer.mint({ roles: ["analyst"], games: "*" }));
  await expect(analyst.erase({ gameId: "g1", playerId: "p2" })).rejects.toThrow(/answered 403/);
  await expect(remoteStore("nope", url, serviceToken).erase({ gameId: "g1", playerId: "p2" })).rejects.toThrow(/answered 404.*no store .*nope/);
  const res = await fetch(`${url}/internal/v1/player-data/things/erase`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${await serviceToken()}` },
    body: JSON.stringify({ gameId: "g1" }),
  });
  expect(res.status).toBe(400);
  expect(rows.get("g1/p2")).toEqual([{ n: 3 }]);
});
