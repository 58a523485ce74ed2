// `npm run users -- create-staff --email <e> --role <r> [--role ...] [--games <g1,g2>|*] [--totp] [--password-stdin]`
// `npm run users -- create-client --id <id> --kind confidential|public [--role <r>] [--games ...] [--redirect-uri <uri>]`
// The first admin is created here; later ones by admins through POST /v1/staff. Reads DATABASE_URL
// and USERS_SECRET_KEY (the service's own, so client secrets and TOTP seals match the service's).
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { ALL_GAMES, ROLES, type Role } from "../shared/auth";
import { loadCommonConfig, str } from "../shared/config";
import { createPool, inTransaction } from "../shared/pg";
import { createClient, type ClientKind } from "./clients";
import { deriveSecrets } from "./secrets";
import { createStaff } from "./staff";
import { totpUri } from "./totp";
import { runCommand } from "../shared/command";

const USAGE = `usage: npm run users -- create-staff --email <email> --role <${ROLES.join("|")}> [--role ...] [--games <id,id>|*] [--totp] [--password-stdin]
       npm run users -- create-client --id <client-id> --kind confidential|public [--role <role>] [--games <id,id>|*] [--redirect-uri <uri> ...]`;

function rolesOf(values: string[] | undefined): Role[] {
  const roles = values ?? [];
  const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (bad.length > 0) throw new Error(`--role ${bad.join(", ")} is invalid: allowed ${ROLES.join(", ")}`);
  return roles as Role[];
}

const gamesOf = (v: string | undefined): typeof ALL_GAMES | string[] => (v === undefined || v === ALL_GAMES ? ALL_GAMES : v.split(",").map((g) => g.trim()).filter((g) => g !== ""));

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: "string" },
      role: { type: "string", multiple: true },
      games: { type: "string" },
      totp: { type: "boolean" },
      "password-stdin": { type: "boolean" },
      id: { type: "string" },
      kind: { type: "string" },
      "redirect-uri": { type: "string", multiple: true },
      description: { type: "string" },
    },
  });
  const secretKey = str(process.env, "USERS_SECRET_KEY", "");
  if (secretKey.length < 32) throw new Error("USERS_SECRET_KEY is missing or shorter than 32 characters: use the users service's own key");
  const secrets = deriveSecrets(secretKey);
  const pool = createPool(loadCommonConfig().databaseUrl, 1);
  try {
    if (positionals[0] === "create-staff" && values.email !== undefined) {
      const roles = rolesOf(values.role);
      if (roles.length === 0) throw new Error("--role is required (admin for the first account)");
      const generated = values["password-stdin"] !== true;
      const password = generated ? randomBytes(18).toString("base64url") : await readStdin();
      const { account, totpSecret } = await inTransaction(pool, (c) =>
        createStaff(c, secrets, { email: values.email as string, password, roles, games: gamesOf(values.games), totp: values.totp === true }, "cli:users"),
      );
      process.stdout.write(`created staff account ${account.accountId} (${account.email}, roles ${account.roles.join(",")}, games ${account.games === ALL_GAMES ? "*" : account.games.join(",")})\n`);
      if (generated) process.stdout.write(`password (shown once): ${password}\n`);
      if (totpSecret !== undefined) process.stdout.write(`TOTP: add to an authenticator app: ${totpUri(totpSecret, account.email)}\n`);
    } else if (positionals[0] === "create-client" && values.id !== undefined) {
      const kind = values.kind;
      if (kind !== "confidential" && kind !== "public") throw new Error(`--kind "${kind ?? ""}" is invalid: allowed confidential, public`);
      const { client, secret } = await inTransaction(pool, (c) =>
        createClient(
          c,
          secrets,
          { clientId: values.id as string, kind: kind as ClientKind, roles: rolesOf(values.role), games: gamesOf(values.games), redirectUris: values["redirect-uri"] ?? [], description: values.description },
          "cli:users",
        ),
      );
      process.stdout.write(`created ${client.kind} client ${client.clientId}\n`);
      if (secret !== undefined) process.stdout.write(`client secret (shown once): ${secret}\n`);
    } else {
      throw new Error(USAGE);
    }
  } finally {
    await pool.end();
  }
}

runCommand("users", main);
