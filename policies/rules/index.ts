import type { Rule } from "../engine/types";
import { CAPACITY_RULES } from "./capacity";
import { COST_RULES } from "./cost";
import { DELIVERY_RULES } from "./delivery";
import { ECR_RULES } from "./ecr";
import { EKS_RULES } from "./eks";
import { IAM_RULES } from "./iam";
import { KAFKA_RULES } from "./kafka";
import { KUBERNETES_RULES } from "./kubernetes";
import { NETWORK_RULES } from "./network";
import { RDS_RULES } from "./rds";
import { REDIS_RULES } from "./redis";
import { S3_RULES } from "./s3";
import { TAG_RULES } from "./tags";
import { WORKLOAD_RULES } from "./workloads";

/** Every rule of the pack, in the order the rules table lists them. Adding a rule is one entry in its area file. */
export const RULES: readonly Rule[] = [
  ...NETWORK_RULES,
  ...EKS_RULES,
  ...IAM_RULES,
  ...DELIVERY_RULES,
  ...RDS_RULES,
  ...REDIS_RULES,
  ...KAFKA_RULES,
  ...S3_RULES,
  ...ECR_RULES,
  ...WORKLOAD_RULES,
  ...KUBERNETES_RULES,
  ...CAPACITY_RULES,
  ...COST_RULES,
  ...TAG_RULES,
];
