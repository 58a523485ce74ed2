import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as yaml from "js-yaml";
import { PROJECT_ROOT } from "../../../infra/tools/stack-config";

/** The repository's GitHub Actions files, parsed, for the workflow tests. */

export const WORKFLOWS_DIR = join(PROJECT_ROOT, ".github", "workflows");
export const ACTIONS_DIR = join(PROJECT_ROOT, ".github", "actions");

export type Obj = Record<string, unknown>;

export interface Step extends Obj {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Obj;
}

export interface Job extends Obj {
  readonly permissions?: unknown;
  readonly steps?: Step[];
  readonly uses?: string;
  readonly needs?: string | string[];
  readonly with?: Obj;
  readonly environment?: unknown;
}

export interface WorkflowFile {
  readonly file: string;
  readonly text: string;
  readonly doc: { on: Obj; permissions?: unknown; jobs: Record<string, Job>; env?: Obj };
}

export function workflows(): WorkflowFile[] {
  return readdirSync(WORKFLOWS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => {
      const text = readFileSync(join(WORKFLOWS_DIR, f), "utf8");
      return { file: f, text, doc: yaml.load(text) as WorkflowFile["doc"] };
    });
}

export function workflow(name: string): WorkflowFile {
  const found = workflows().find((w) => w.file === name);
  if (found === undefined) throw new Error(`no workflow ${name}`);
  return found;
}

/** Local composite actions (`.github/actions/<name>/action.yml`). */
export function localActions(): { file: string; text: string; doc: { runs: { steps: Step[] } } }[] {
  return readdirSync(ACTIONS_DIR).map((dir) => {
    const file = join(ACTIONS_DIR, dir, "action.yml");
    const text = readFileSync(file, "utf8");
    return { file: `actions/${dir}/action.yml`, text, doc: yaml.load(text) as { runs: { steps: Step[] } } };
  });
}

export const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);

/** Every step of every workflow job and local action, with where it is. */
export function allSteps(): { where: string; step: Step }[] {
  const fromWorkflows = workflows().flatMap((w) => Object.entries(w.doc.jobs).flatMap(([id, job]) => (job.steps ?? []).map((step) => ({ where: `${w.file} ${id}`, step }))));
  const fromActions = localActions().flatMap((a) => a.doc.runs.steps.map((step) => ({ where: a.file, step })));
  return [...fromWorkflows, ...fromActions];
}

/** `uses:` lines as written (the parsed YAML drops the `# vX.Y.Z` comment the pinning rule reads). */
export function usesLines(): { where: string; ref: string; comment: string | undefined }[] {
  const texts = [...workflows().map((w) => ({ where: w.file, text: w.text })), ...localActions().map((a) => ({ where: a.file, text: a.text }))];
  return texts.flatMap(({ where, text }) =>
    text.split("\n").flatMap((line) => {
      const m = /^\s*(?:-\s+)?uses:\s*(\S+)\s*(?:#\s*(.+?))?\s*$/.exec(line);
      return m === null ? [] : [{ where, ref: m[1], comment: m[2] }];
    }),
  );
}
