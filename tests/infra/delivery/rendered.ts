import * as yaml from "js-yaml";
import type { Manifest } from "../../../infra/delivery/manifest";
import { renderStack } from "../../../infra/tools/render";

/** A stack's render, parsed, for the GitOps tests. */

/** Apps deploy only once an image tag is set (the stack files set none): the tests render with one. */
export const TAGGED = ["gamemetrics:apps.imageTag=1.4.2"];

export interface RenderedFile {
  readonly path: string;
  readonly manifest: Manifest;
}

export async function renderedFiles(stack: string, config: readonly string[] = TAGGED): Promise<RenderedFile[]> {
  return [...(await renderStack({ stack, config }))].map(([path, text]) => ({ path, manifest: yaml.load(text) as Manifest }));
}

/** The manifests of one app folder (deploy/<stack>/<app>/). */
export function appObjects(files: readonly RenderedFile[], app: string): Manifest[] {
  return files.filter((f) => new RegExp(`^deploy/[^/]+/${app}/`).test(f.path)).map((f) => f.manifest);
}

export function objectOf(manifests: readonly Manifest[], kind: string, name: string): Manifest & { spec: Record<string, any> } {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name} among ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(", ")}`);
  return found as Manifest & { spec: Record<string, any> };
}

/** A kubernetes-models object's validate() (the CRD's JSON schema), typed here: tsc resolves the model without its base class. */
export const validate = (model: object): void => (model as { validate(): void }).validate();
