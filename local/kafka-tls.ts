// TLS material of a local broker, made on this machine with openssl (nothing is downloaded): a
// self-signed CA, which the apps trust through KAFKA_CA_FILE exactly as they trust Strimzi's cluster
// CA in the cluster, and a broker certificate it signs for 127.0.0.1/localhost.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MissingPrerequisite } from "./prereqs";

/** The broker's certificate subject: also its principal on the mTLS controller listener (a super user). */
export const BROKER_DN = "CN=gamemetrics-local-broker";

export interface TlsFiles {
  /** The CA certificate (PEM): what clients trust. */
  caFile: string;
  /** The broker's private key and certificate chain in one PEM file (Kafka's PEM keystore). */
  keystoreFile: string;
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync("openssl", args, { cwd, encoding: "utf8" });
  if (r.error !== undefined) throw new MissingPrerequisite("missing openssl (install: apt-get install openssl)");
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
}

/** Creates the CA and the broker certificate once per broker folder; later starts reuse them. */
export function ensureBrokerTls(dir: string): TlsFiles {
  const files: TlsFiles = { caFile: join(dir, "ca.crt"), keystoreFile: join(dir, "broker.pem") };
  if (existsSync(files.caFile) && existsSync(files.keystoreFile)) return files;
  mkdirSync(dir, { recursive: true });
  const days = "825";
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", days, "-subj", "/CN=GameMetrics local Kafka CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"], dir);
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "broker.key", "-out", "broker.csr", "-subj", `/${BROKER_DN}`], dir);
  writeFileSync(join(dir, "broker.ext"), [
    "basicConstraints=CA:FALSE",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    // serverAuth for the client listener, clientAuth for the broker's own connection to its controller listener
    "extendedKeyUsage=serverAuth,clientAuth",
    "subjectAltName=IP:127.0.0.1,DNS:localhost",
    "",
  ].join("\n"));
  openssl(["x509", "-req", "-in", "broker.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "broker.crt", "-days", days, "-extfile", "broker.ext"], dir);
  // Kafka's PEM keystore wants an unencrypted PKCS#8 key followed by the certificate chain.
  openssl(["pkcs8", "-topk8", "-nocrypt", "-in", "broker.key", "-out", "broker.pk8"], dir);
  const pem = [readFileSync(join(dir, "broker.pk8"), "utf8"), readFileSync(join(dir, "broker.crt"), "utf8"), readFileSync(files.caFile, "utf8")].join("");
  writeFileSync(files.keystoreFile, pem, { mode: 0o600 });
  for (const f of ["broker.key", "broker.pk8", "broker.csr", "broker.ext", "ca.srl"]) rmSync(join(dir, f), { force: true });
  return files;
}
