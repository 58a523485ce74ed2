// `npm run --silent delivery -- <command> --stack <stack>`: what the GitHub workflows need to know about
// a stack, printed as one JSON document, from the same config and catalog the program uses:
//   matrix  the image build matrix: every app of the catalog with its ECR repository name
//   stack   tier, delivery mode, policy pack config, region and the GitHub role names
import { APP_NAMES } from "../config/sections/apps";
import { repositoryName } from "../data/registry";
import { GITHUB_ROLE_KINDS, githubRoleName } from "../delivery/github-trust";
import { namePrefix } from "../tags";
import { PACK_CONFIG_FILE } from "../../policies/engine/levels";
import { runMain } from "./cli-args";
import { readStackConfig, stackPlatformConfig, STACKS } from "./stack-config";

export interface MatrixEntry {
  readonly app: string;
  readonly repository: string;
}

/** One matrix entry per app of the catalog: adding an app to APP_NAMES adds its image build. */
export function imageMatrix(stack: string): { include: MatrixEntry[] } {
  const prefix = namePrefix(stackPlatformConfig(stack, []));
  return { include: APP_NAMES.map((app) => ({ app, repository: repositoryName(prefix, app) })) };
}

export interface StackFacts {
  readonly stack: string;
  readonly tier: string;
  readonly delivery: string;
  readonly region: string;
  readonly policyPackConfig: string;
  readonly roles: Readonly<Record<string, string>>;
}

export function stackFacts(stack: string): StackFacts {
  const config = stackPlatformConfig(stack, []);
  return {
    stack,
    tier: config.tier,
    delivery: config.profile.apps.delivery,
    region: readStackConfig(stack).values["aws:region"],
    policyPackConfig: `policies/${PACK_CONFIG_FILE[config.tier]}`,
    roles: Object.fromEntries(GITHUB_ROLE_KINDS.map((kind) => [kind, githubRoleName(namePrefix(config), kind)])),
  };
}

const COMMANDS: Readonly<Record<string, (stack: string) => unknown>> = { matrix: imageMatrix, stack: stackFacts };

async function main(): Promise<number> {
  const [command, flag, stack] = process.argv.slice(2);
  const run = COMMANDS[command ?? ""];
  if (run === undefined || flag !== "--stack" || stack === undefined) {
    throw new Error(`usage: npm run --silent delivery -- <${Object.keys(COMMANDS).join("|")}> --stack <${STACKS.join("|")}>`);
  }
  process.stdout.write(`${JSON.stringify(run(stack))}\n`);
  return 0;
}

if (require.main === module) runMain(main);
