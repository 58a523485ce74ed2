// Real S3-compatible servers from Maven Central jars (local/s3proxy/pom.xml), run with the machine's Java:
// - S3Proxy 2.6.0 with its filesystem backend: the archives bucket of `npm run local` and the app tests.
// - Adobe S3Mock 4.9.1: versioned buckets and SSE-KMS (S3Proxy 2.6.0 answers 501 NotImplemented to
//   ?versioning, ?versions and the SSE headers), for the tests that need them.
import { CreateBucketCommand, PutBucketVersioningCommand } from "@aws-sdk/client-s3";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createS3Client } from "../apps/shared/s3/client";
import { javaBin, REPO_ROOT } from "./kafka-broker";
import { fetchMavenJars } from "./maven";
import { isAlive, isPortOpen, stopProcess, waitFor } from "./net";

const POM = join(REPO_ROOT, "local", "s3proxy", "pom.xml");
const LIBS = join(REPO_ROOT, ".local", "s3", "libs");

/** Local credentials of the S3 peers (they accept these only; nothing real is protected by them). */
export const LOCAL_S3_CREDENTIALS = { AWS_ACCESS_KEY_ID: "local-identity", AWS_SECRET_ACCESS_KEY: "local-credential" } as const;

export interface S3Peer {
  readonly kind: "s3proxy" | "s3mock";
  readonly endpoint: string;
  readonly port: number;
  readonly dir: string;
  readonly pid: number;
  /** Env that points the apps at this peer (S3_ENDPOINT, credentials, region). */
  readonly env: Readonly<Record<string, string>>;
}

function peerEnv(endpoint: string): Record<string, string> {
  return { S3_ENDPOINT: endpoint, AWS_REGION: "us-east-1", ...LOCAL_S3_CREDENTIALS };
}

async function launch(kind: S3Peer["kind"], port: number, dir: string, args: string[], env: Record<string, string>, log: (line: string) => void): Promise<S3Peer> {
  const java = javaBin();
  fetchMavenJars(POM, LIBS, "the S3 peers (S3Proxy, S3Mock)", log);
  if (await isPortOpen(port)) throw new Error(`port ${port} is already in use; set S3PROXY_PORT to a free port`);
  mkdirSync(dir, { recursive: true });
  const out = openSync(join(dir, `${kind}.log`), "a");
  const child = spawn(java, args, { detached: true, stdio: ["ignore", out, out], env: { ...process.env, ...env } });
  child.unref();
  const pid = child.pid as number;
  writeFileSync(join(dir, `${kind}.pid`), String(pid));
  let exited: string | undefined;
  child.once("exit", (code, signal) => (exited = `exit ${code ?? signal}; see ${join(dir, `${kind}.log`)}`));
  await waitFor(`${kind} on port ${port}`, () => isPortOpen(port), 90_000, () => exited);
  const endpoint = `http://127.0.0.1:${port}`;
  return { kind, endpoint, port, dir, pid, env: peerEnv(endpoint) };
}

/** S3Proxy on `port`, storing objects under `dir`/data. */
export async function startS3Proxy(port: number, dir: string, log: (line: string) => void): Promise<S3Peer> {
  const data = join(dir, "data");
  mkdirSync(data, { recursive: true });
  const props = join(dir, "s3proxy.properties");
  writeFileSync(
    props,
    [
      `s3proxy.endpoint=http://127.0.0.1:${port}`,
      "s3proxy.authorization=aws-v2-or-v4",
      `s3proxy.identity=${LOCAL_S3_CREDENTIALS.AWS_ACCESS_KEY_ID}`,
      `s3proxy.credential=${LOCAL_S3_CREDENTIALS.AWS_SECRET_ACCESS_KEY}`,
      "jclouds.provider=filesystem",
      `jclouds.filesystem.basedir=${data}`,
      "",
    ].join("\n"),
  );
  return launch("s3proxy", port, dir, ["-Xmx256m", "-jar", join(LIBS, "s3proxy-jar-with-dependencies.jar"), "--properties", props], {}, log);
}

/** S3Mock on `port` (HTTP), with `kmsKeys` accepted for SSE-KMS. */
export async function startS3Mock(port: number, dir: string, kmsKeys: readonly string[], log: (line: string) => void): Promise<S3Peer> {
  return launch(
    "s3mock",
    port,
    dir,
    [
      "-Xmx256m",
      "-XX:TieredStopAtLevel=1",
      "-jar",
      join(LIBS, "s3mock-exec.jar"),
      `--com.adobe.testing.s3mock.httpPort=${port}`,
      // The HTTPS connector cannot be switched off: an ephemeral port keeps it out of the way.
      "--server.port=0",
      "--server.address=127.0.0.1",
      `--com.adobe.testing.s3mock.store.root=${join(dir, "data")}`,
      `--com.adobe.testing.s3mock.store.validKmsKeys=${kmsKeys.join(",")}`,
    ],
    {},
    log,
  );
}

/** Creates `bucket` (an existing one is fine), versioned when asked. */
export async function ensureBucket(peer: Pick<S3Peer, "endpoint">, bucket: string, versioned = false): Promise<void> {
  const s3 = createS3Client({ endpoint: peer.endpoint, region: "us-east-1", credentials: { accessKeyId: LOCAL_S3_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_S3_CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((err: { name?: string }) => {
      if (err.name !== "BucketAlreadyOwnedByYou" && err.name !== "BucketAlreadyExists") throw err;
    });
    if (versioned) await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
  } finally {
    s3.destroy();
  }
}

/** Stops a peer started here; `wipe` also removes its data folder (test runs). */
export async function stopS3Peer(peer: Pick<S3Peer, "pid" | "dir">, wipe: boolean): Promise<void> {
  if (isAlive(peer.pid)) await stopProcess(peer.pid, 10_000);
  if (wipe && existsSync(peer.dir)) rmSync(peer.dir, { recursive: true, force: true });
}

/** The archives bucket `npm run local` creates on its S3Proxy. */
export const LOCAL_ARCHIVES_BUCKET = "gamemetrics-archives";

/** `npm run local`'s S3: reuses an S3Proxy answering on `port`, or starts one (data kept in `dir` between runs). */
export async function upLocalS3(port: number, dir: string, log: (line: string) => void): Promise<{ endpoint: string; startedPid?: number }> {
  const endpoint = `http://127.0.0.1:${port}`;
  let startedPid: number | undefined;
  if (await isPortOpen(port)) {
    log(`S3: reusing the S3-compatible server on ${endpoint}`);
  } else {
    log(`S3: starting S3Proxy (filesystem backend) on ${endpoint} (${dir})`);
    startedPid = (await startS3Proxy(port, dir, log)).pid;
  }
  await ensureBucket({ endpoint }, LOCAL_ARCHIVES_BUCKET);
  return { endpoint, startedPid };
}
