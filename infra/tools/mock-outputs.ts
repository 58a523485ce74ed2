import { createHash } from "crypto";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime";

/**
 * Plausible outputs for what the program reads back from resources under the mock runtime.
 * Outputs are never computed offline: anything the program reads and is missing here becomes
 * unknown, which the capture reports as an error, so a gap cannot silently drop an input.
 */
type Outputs = (args: MockResourceArgs, id: string) => Record<string, unknown>;

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;

const kubeconfig = (name: string) => ({
  apiVersion: "v1",
  kind: "Config",
  clusters: [{ name, cluster: { server: `https://${name}.gr7.${REGION}.eks.amazonaws.com`, "certificate-authority-data": "bW9jaw==" } }],
  contexts: [{ name, context: { cluster: name, user: name } }],
  "current-context": name,
  users: [{ name, user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", name] } } }],
});

export const OUTPUTS: Record<string, Outputs> = {
  "eks:index:Cluster": ({ inputs, name }) => ({
    kubeconfig: kubeconfig(inputs.name ?? name),
    kubeconfigJson: JSON.stringify(kubeconfig(inputs.name ?? name)),
    clusterSecurityGroupId: `sg-${name}-cluster`,
    nodeSecurityGroupId: `sg-${name}-nodes`,
    oidcProviderArn: arn("iam", `oidc-provider/oidc.eks.${REGION}.amazonaws.com/id/MOCK${name.toUpperCase()}`).replace(`:${REGION}:`, "::"),
    oidcProviderUrl: `https://oidc.eks.${REGION}.amazonaws.com/id/MOCK${name.toUpperCase()}`,
    oidcIssuer: `oidc.eks.${REGION}.amazonaws.com/id/MOCK${name.toUpperCase()}`,
    // The program reads the physical name through eksCluster.name (a resource reference in a real run).
    eksCluster: { name: inputs.name ?? name, arn: arn("eks", `cluster/${inputs.name ?? name}`) },
    core: { cluster: { name }, endpoint: `https://${name}.gr7.${REGION}.eks.amazonaws.com` },
  }),
  "eks:index:ManagedNodeGroup": ({ name }) => ({ nodeGroup: { nodeGroupName: name } }),
  "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1 }),
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": ({ inputs }) => ({ arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${String(inputs.url).replace(/^https:\/\//, "")}` }),
  "aws:iam/role:Role": ({ inputs, name }) => ({ arn: `arn:aws:iam::${ACCOUNT}:role/${inputs.name ?? name}`, name: inputs.name ?? name }),
  "aws:cloudwatch/logGroup:LogGroup": ({ inputs, name }) => ({ arn: arn("logs", `log-group:${inputs.name ?? name}`) }),
  "aws:ec2/vpc:Vpc": ({ inputs }) => ({ cidrBlock: inputs.cidrBlock, defaultSecurityGroupId: "sg-default" }),
  "aws:kms/key:Key": (_args, id) => ({ keyId: `mrk-${id}`, arn: arn("kms", `key/mrk-${id}`) }),
  "aws:secretsmanager/secret:Secret": ({ inputs, name }) => ({ arn: arn("secretsmanager", `secret:${inputs.name ?? name}-Ab12Cd`) }),
  "aws:rds/instance:Instance": ({ inputs, name }) => ({
    identifier: inputs.identifier ?? name,
    address: `${name}.abcdefghij.${REGION}.rds.amazonaws.com`,
    endpoint: `${name}.abcdefghij.${REGION}.rds.amazonaws.com:5432`,
    port: 5432,
  }),
  "aws:elasticache/replicationGroup:ReplicationGroup": ({ name }) => ({
    primaryEndpointAddress: `master.${name}.abcdef.use1.cache.amazonaws.com`,
    readerEndpointAddress: `replica.${name}.abcdef.use1.cache.amazonaws.com`,
    configurationEndpointAddress: `clustercfg.${name}.abcdef.use1.cache.amazonaws.com`,
    port: 6379,
  }),
  "aws:msk/cluster:Cluster": ({ inputs, name }) => {
    const brokers = Array.from({ length: Number(inputs.numberOfBrokerNodes ?? 1) }, (_, i) => `b-${i + 1}.${inputs.clusterName ?? name}.abc123.c2.kafka.${REGION}.amazonaws.com`);
    return {
      arn: arn("kafka", `cluster/${inputs.clusterName ?? name}/0a1b2c3d-mock-uuid-1`),
      bootstrapBrokersSaslScram: brokers.map((b) => `${b}:9096`).join(","),
      bootstrapBrokersSaslIam: brokers.map((b) => `${b}:9098`).join(","),
    };
  },
  "aws:msk/configuration:Configuration": () => ({ latestRevision: 1 }),
  "aws:ecr/repository:Repository": ({ inputs, name }) => ({
    repositoryUrl: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${inputs.name ?? name}`,
  }),
  "aws:s3/bucketV2:BucketV2": ({ inputs, name }) => ({ bucket: inputs.bucket ?? `${name}-mock1234` }),
  "aws:s3/bucket:Bucket": ({ inputs, name }) => {
    const bucket = inputs.bucket ?? `${name}-mock1234`;
    return { bucket, arn: `arn:aws:s3:::${bucket}` };
  },
  "aws:sesv2/emailIdentity:EmailIdentity": ({ inputs }) => ({ arn: arn("ses", `identity/${inputs.emailIdentity}`) }),
  "aws:iam/accessKey:AccessKey": () => ({ sesSmtpPasswordV4: "offline-mock-ses-smtp-password" }),
  "random:index/randomPassword:RandomPassword": () => ({ result: "offline-mock-password-0123456789" }),
  "tls:index/privateKey:PrivateKey": ({ name }) => ({
    privateKeyPem: `-----BEGIN PRIVATE KEY-----\nmock-${name}\n-----END PRIVATE KEY-----\n`,
    privateKeyPemPkcs8: `-----BEGIN PRIVATE KEY-----\nmock-pkcs8-${name}\n-----END PRIVATE KEY-----\n`,
    publicKeyPem: `mock-public-${name}`,
  }),
  "tls:index/selfSignedCert:SelfSignedCert": ({ name }) => ({ certPem: `-----BEGIN CERTIFICATE-----\nmock-${name}\n-----END CERTIFICATE-----\n` }),
  "tls:index/certRequest:CertRequest": ({ name }) => ({ certRequestPem: `-----BEGIN CERTIFICATE REQUEST-----\nmock-${name}\n-----END CERTIFICATE REQUEST-----\n` }),
  "tls:index/locallySignedCert:LocallySignedCert": ({ name }) => ({ certPem: `-----BEGIN CERTIFICATE-----\nmock-${name}\n-----END CERTIFICATE-----\n` }),
};

/** Outputs every resource gets: ids, arns and names as AWS would assign them. */
export function defaultOutputs(args: MockResourceArgs, id: string): Record<string, unknown> {
  const service = args.type.split(":")[1]?.split("/")[0] ?? "mock";
  return { id, arn: arn(service, `${args.name}`), name: args.inputs.name ?? args.name };
}

export function mockOutputs(args: MockResourceArgs, id: string): Record<string, unknown> {
  const specific = OUTPUTS[args.type]?.(args, id) ?? {};
  return { ...defaultOutputs(args, id), ...args.inputs, ...specific };
}

export function mockCall(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (token) {
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return { names: [`${REGION}a`, `${REGION}b`, `${REGION}c`, `${REGION}d`], zoneIds: ["use1-az1", "use1-az2", "use1-az4", "use1-az6"], state: "available" };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/offline`, userId: "AIDAOFFLINE" };
    case "aws:index/getRegion:getRegion":
      return { name: REGION, region: REGION, id: REGION };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com" };
    case "aws:ecr/getImage:getImage":
      // A pushed image: its digest, stable per repository and tag.
      return { imageDigest: `sha256:${createHash("sha256").update(`${String(inputs.repositoryName)}:${String(inputs.imageTag)}`).digest("hex")}`, imageTags: [inputs.imageTag] };
    case "aws:iam/getPolicyDocument:getPolicyDocument":
      return { json: JSON.stringify({ Version: "2012-10-17", Statement: inputs.statements ?? [] }) };
    default:
      throw new Error(`offline capture has no mock for invoke ${token}; add one to infra/tools/mock-outputs.ts`);
  }
}
