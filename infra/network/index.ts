export { Network, type NetworkArgs } from "./network";
export { azSubnets, natGatewayCount, natGatewayForAz } from "./subnets";
