import { CAPACITY_CASES } from "./capacity";
import { DATA_CASES } from "./data";
import { DELIVERY_CASES } from "./delivery";
import { COST_TAG_CASES } from "./cost-tags";
import { EKS_CASES } from "./eks";
import { KAFKA_CASES } from "./kafka";
import { KUBERNETES_CASES } from "./kubernetes";
import { NETWORK_CASES } from "./network";
import { STORAGE_CASES } from "./storage";
import type { RuleCase } from "./support";
import { WORKLOAD_CASES } from "./workloads";

/** A compliant and a non-compliant set of inputs for every rule of the pack. */
export const CASES: Readonly<Record<string, RuleCase>> = {
  ...NETWORK_CASES,
  ...EKS_CASES,
  ...DATA_CASES,
  ...DELIVERY_CASES,
  ...KAFKA_CASES,
  ...STORAGE_CASES,
  ...WORKLOAD_CASES,
  ...KUBERNETES_CASES,
  ...COST_TAG_CASES,
  ...CAPACITY_CASES,
};
