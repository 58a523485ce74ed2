// The policy pack for `pulumi preview --policy-pack policies --policy-pack-config policies/<free|prod>.json`.
import { PolicyPack } from "@pulumi/policy";
import { packArgs } from "./pack";

new PolicyPack("gamemetrics", packArgs());
