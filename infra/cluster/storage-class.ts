import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** The cluster's default StorageClass: encrypted gp3 EBS through the EBS CSI driver. Kafka and Qdrant volumes use it. */
export const DEFAULT_STORAGE_CLASS = "gp3";
export const EBS_CSI_PROVISIONER = "ebs.csi.aws.com";

export interface StorageClassArgs {
  readonly provider: k8s.Provider;
  readonly reclaimPolicy: "Delete" | "Retain";
}

export function defaultStorageClass(name: string, args: StorageClassArgs, opts: pulumi.CustomResourceOptions): k8s.storage.v1.StorageClass {
  return new k8s.storage.v1.StorageClass(
    name,
    {
      metadata: {
        name: DEFAULT_STORAGE_CLASS,
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: EBS_CSI_PROVISIONER,
      parameters: { type: "gp3", encrypted: "true", fsType: "ext4" },
      reclaimPolicy: args.reclaimPolicy,
      // Bind in the AZ where the pod lands: EBS volumes are zonal.
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
    },
    { ...opts, provider: args.provider },
  );
}
