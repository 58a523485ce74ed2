import { bool, int, logRetention, oneOf, section, text } from "../fields";

export interface RdsProfile {
  engineVersion: "15" | "16" | "17";
  instanceClass: string;
  allocatedStorageGb: number;
  /** Storage autoscaling ceiling; equal to allocatedStorageGb turns autoscaling off. */
  maxAllocatedStorageGb: number;
  storageType: "gp2" | "gp3";
  multiAz: boolean;
  readReplicas: number;
  backupRetentionDays: number;
  deletionProtection: boolean;
  finalSnapshot: boolean;
  performanceInsights: boolean;
  /** Export the postgresql and upgrade logs to CloudWatch Logs. */
  cloudwatchLogs: boolean;
  /** Days the exported logs are kept (the log groups are KMS-encrypted with the data key). */
  logRetentionDays: number;
}

export const rds = section<RdsProfile>({
  fields: {
    engineVersion: oneOf("15", "16", "17"),
    instanceClass: text(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "an RDS instance class such as db.r5.xlarge"),
    allocatedStorageGb: int(20, 65536),
    maxAllocatedStorageGb: int(20, 65536),
    storageType: oneOf("gp2", "gp3"),
    multiAz: bool(),
    readReplicas: int(0, 5),
    backupRetentionDays: int(0, 35),
    deletionProtection: bool(),
    finalSnapshot: bool(),
    performanceInsights: bool(),
    cloudwatchLogs: bool(),
    logRetentionDays: logRetention(),
  },
  // Matches the AWS free tier: db.t3.micro single-AZ, 20 GB gp2.
  free: {
    engineVersion: "16",
    instanceClass: "db.t3.micro",
    allocatedStorageGb: 20,
    maxAllocatedStorageGb: 20,
    storageType: "gp2",
    multiAz: false,
    readReplicas: 0,
    backupRetentionDays: 1,
    deletionProtection: false,
    finalSnapshot: false,
    performanceInsights: false,
    cloudwatchLogs: false,
    logRetentionDays: 7,
  },
  production: {
    engineVersion: "16",
    instanceClass: "db.r5.xlarge",
    allocatedStorageGb: 200,
    maxAllocatedStorageGb: 1000,
    storageType: "gp3",
    multiAz: true,
    readReplicas: 2,
    backupRetentionDays: 7,
    deletionProtection: true,
    finalSnapshot: true,
    performanceInsights: true,
    cloudwatchLogs: true,
    logRetentionDays: 30,
  },
});
