import { loadBalancerControllerPolicy } from "../../../infra/services/ingress-iam";
import {
  clusterAutoscalerPolicy,
  externalSecretsPolicy,
  type PolicyDocument,
  secretArnPattern,
  veleroPolicy,
  wildcardGrants,
} from "../../../infra/services/platform-iam";

const REGION = "eu-west-1";
const ACCOUNT = "111122223333";
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/abcd`;
const statement = (doc: PolicyDocument, sid: string) => {
  const s = doc.Statement.find((x) => x.Sid === sid);
  if (s === undefined) throw new Error(`no statement ${sid}`);
  return s;
};
const resources = (r: string | readonly string[]) => (typeof r === "string" ? [r] : [...r]);

const DOCS: Record<string, PolicyDocument> = {
  externalSecrets: externalSecretsPolicy(secretArnPattern(REGION, ACCOUNT, "gamemetrics-prod"), KEY, REGION),
  clusterAutoscaler: clusterAutoscalerPolicy("gamemetrics-prod", REGION, ACCOUNT),
  velero: veleroPolicy("gamemetrics-prod-backups-x", KEY),
  loadBalancerController: loadBalancerControllerPolicy({ region: REGION, accountId: ACCOUNT, vpcId: "vpc-123" }),
};

describe("controller IAM policies", () => {
  it("flags wildcard actions and unconditioned writes on *", () => {
    const bad: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [
        { Sid: "All", Effect: "Allow", Action: ["*"], Resource: "*" },
        { Sid: "S3", Effect: "Allow", Action: ["s3:*"], Resource: ["arn:aws:s3:::b"] },
        { Sid: "Write", Effect: "Allow", Action: ["ec2:CreateVolume"], Resource: "*" },
      ],
    };
    expect(wildcardGrants(bad)).toEqual(["All: action *", "All: non-read actions on * without a condition", "S3: action s3:*", "Write: non-read actions on * without a condition"]);
  });

  it.each(Object.keys(DOCS))("%s grants no wildcard action and no unconditioned write on *", (name) => {
    expect(wildcardGrants(DOCS[name])).toEqual([]);
  });

  it("lets External Secrets read only the platform's secrets and decrypt only through Secrets Manager", () => {
    const doc = DOCS.externalSecrets;
    expect(statement(doc, "ReadPlatformSecrets")).toMatchObject({
      Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      Resource: [`arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:gamemetrics-prod/*`],
    });
    expect(statement(doc, "DecryptWithDataKey")).toMatchObject({
      Action: ["kms:Decrypt"],
      Resource: [KEY],
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` } },
    });
    expect(doc.Statement).toHaveLength(2);
  });

  it("lets the Cluster Autoscaler resize only ASGs tagged for this cluster", () => {
    const scale = statement(DOCS.clusterAutoscaler, "ScaleOwnNodeGroups");
    expect(scale.Condition).toEqual({ StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/gamemetrics-prod": "owned" } });
    expect(statement(DOCS.clusterAutoscaler, "DescribeNodeGroups").Resource).toEqual([`arn:aws:eks:${REGION}:${ACCOUNT}:nodegroup/gamemetrics-prod/*`]);
  });

  it("keeps Velero to its prefix of the backups bucket", () => {
    const objects = statement(DOCS.velero, "Objects");
    expect(objects.Resource).toEqual(["arn:aws:s3:::gamemetrics-prod-backups-x/velero/*"]);
    expect(statement(DOCS.velero, "ListPrefix").Condition).toEqual({ StringLike: { "s3:prefix": ["velero", "velero/*"] } });
    expect(resources(statement(DOCS.velero, "Snapshots").Resource).every((r) => r.startsWith("arn:aws:ec2:"))).toBe(true);
  });

  it("scopes the Load Balancer Controller's writes to its own tagged resources in this account, region and VPC", () => {
    const doc = DOCS.loadBalancerController;
    for (const s of doc.Statement) {
      const rs = resources(s.Resource);
      const readOnly = s.Action.every((a) => /:(Describe|Get|List)/.test(a));
      if (readOnly) continue;
      const scoped = rs.every((r) => r.includes(`:${REGION}:${ACCOUNT}:`));
      expect({ sid: s.Sid, scopedOrConditioned: scoped || s.Condition !== undefined }).toEqual({ sid: s.Sid, scopedOrConditioned: true });
    }
    expect(statement(doc, "ManageOwnBalancers").Condition).toEqual({ Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } });
    expect(statement(doc, "CreateSecurityGroupInVpc").Resource).toContain(`arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-123`);
    expect(doc.Statement.flatMap((s) => s.Action).some((a) => a.startsWith("shield:") || a.startsWith("waf-regional:"))).toBe(false);
  });
});
