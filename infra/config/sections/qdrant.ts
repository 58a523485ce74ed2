import { bool, int, section } from "../fields";
import { cpu, memory } from "./kube-quantities";

export interface QdrantProfile {
  replicas: number;
  /** Copies of every shard across the replicas (Qdrant's collection replication_factor default). */
  replicationFactor: number;
  storageGb: number;
  cpu: string;
  memory: string;
  /** Store snapshots in the backups bucket (IRSA) instead of the pod's volume. */
  snapshotsToS3: boolean;
}

export const qdrant = section<QdrantProfile>({
  fields: {
    replicas: int(1, 15),
    replicationFactor: int(1, 5),
    storageGb: int(1, 16000),
    cpu: cpu(),
    memory: memory(),
    snapshotsToS3: bool(),
  },
  free: { replicas: 1, replicationFactor: 1, storageGb: 5, cpu: "100m", memory: "512Mi", snapshotsToS3: false },
  production: { replicas: 3, replicationFactor: 2, storageGb: 50, cpu: "1", memory: "4Gi", snapshotsToS3: true },
});
