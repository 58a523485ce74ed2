export { GithubDelivery } from "./github";
export { assertDeployingAccount, GitOps } from "./gitops";
