import { type Field, text } from "../fields";

/** Field rules for Kubernetes quantities as the chart sections write them. */

export const cpu = (): Field<string> => text(/^(\d+m|\d+(\.\d+)?)$/, "a CPU quantity such as 250m or 1.5");
export const memory = (): Field<string> => text(/^\d+(Mi|Gi)$/, "a memory quantity such as 512Mi or 2Gi");

/** Requests and a memory limit equal to the request: no overcommit on memory, CPU may burst. */
export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly memory: string };
}

export function resources(cpuRequest: string, memoryRequest: string): Resources {
  return { requests: { cpu: cpuRequest, memory: memoryRequest }, limits: { memory: memoryRequest } };
}
