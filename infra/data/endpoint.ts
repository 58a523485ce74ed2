import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { NetworkInfo, Tags } from "../contracts";
import { nodeOnlySecurityGroup, nodePort } from "./access";
import { jsonSecret } from "./secret";

/** What the data layer hands every private data service (PostgreSQL, Redis). */
export interface DataServiceArgs {
  readonly network: Pick<NetworkInfo, "vpcId" | "privateSubnetIds" | "azNames">;
  /** The only source admitted to the service. */
  readonly nodeSecurityGroupId: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Physical-name prefix (`gamemetrics-dev`) for the secret name. */
  readonly namePrefix: string;
  readonly secretRecoveryDays: number;
  readonly tags: Tags;
}

/** RDS and ElastiCache subnet groups take the same inputs. */
type SubnetGroupClass = new (
  name: string,
  args: { description: string; subnetIds: pulumi.Input<string>[]; tags: Tags },
  opts: pulumi.CustomResourceOptions,
) => { readonly name: pulumi.Output<string> };

export interface PrivateEndpointArgs {
  /** Service name in the security group description, e.g. `PostgreSQL`. */
  readonly service: string;
  readonly port: number;
  readonly subnetGroup: SubnetGroupClass;
  /** The generated credential: name suffix (`master`), length and the specials the service accepts. */
  readonly credential: { readonly suffix: string; readonly length: number; readonly specials: string };
  /** Where the credential is kept with the endpoint: `<prefix>/data/<name>`, as the JSON `json` builds (External Secrets maps its keys). */
  readonly secret: { readonly name: string; readonly description: string; readonly json: (password: string, host: string) => object };
}

export interface PrivateEndpoint {
  /** The generated credential, kept secret in the Pulumi state. */
  readonly password: pulumi.Output<string>;
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly subnetGroupName: pulumi.Output<string>;
  /** Stores the credential with the service's host as the secret's JSON, under the data key; returns its ARN. */
  readonly storeCredential: (host: pulumi.Input<string>) => pulumi.Output<string>;
}

/**
 * The pieces a data service reachable only from the cluster's nodes starts from: a generated
 * credential, a node-only security group and a subnet group over the private subnets. Plain
 * resources under the caller (not a component), so their names and parents are the caller's.
 */
export function privateEndpoint(name: string, args: DataServiceArgs, endpoint: PrivateEndpointArgs, parent: pulumi.Resource): PrivateEndpoint {
  const { credential, secret } = endpoint;
  const { tags } = args;
  const credentialName = `${name}-${credential.suffix}`;
  const password = new random.RandomPassword(
    credentialName,
    { length: credential.length, special: true, overrideSpecial: credential.specials, minUpper: 2, minLower: 2, minNumeric: 2 },
    { parent },
  );
  const securityGroup = nodeOnlySecurityGroup(
    `${name}-sg`,
    {
      vpcId: args.network.vpcId,
      nodeSecurityGroupId: args.nodeSecurityGroupId,
      ports: [nodePort(endpoint.port)],
      description: `${endpoint.service} from EKS nodes only`,
      tags,
    },
    parent,
  );
  const subnetGroup = new endpoint.subnetGroup(
    name,
    { description: "Private subnets in every AZ of the VPC", subnetIds: args.network.privateSubnetIds, tags },
    { parent },
  );
  const storeCredential: PrivateEndpoint["storeCredential"] = (host) =>
    jsonSecret(
      credentialName,
      {
        secretName: `${args.namePrefix}/data/${secret.name}`,
        description: secret.description,
        value: pulumi.all([password.result, host]).apply(([pw, h]) => secret.json(pw, h)),
        kmsKeyArn: args.kmsKeyArn,
        recoveryWindowInDays: args.secretRecoveryDays,
        tags,
      },
      parent,
    ).arn;
  return { password: pulumi.secret(password.result), securityGroup, subnetGroupName: subnetGroup.name, storeCredential };
}
