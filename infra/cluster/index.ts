export { Cluster, type ClusterArgs } from "./cluster";
export { IrsaRole, irsaTrustPolicy, type IrsaRoleArgs } from "./irsa";
export { DEFAULT_STORAGE_CLASS, EBS_CSI_PROVISIONER } from "./storage-class";
