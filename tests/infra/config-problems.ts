// Shared by config tests: the validation messages a raw stack config produces.
import { ConfigError, resolveConfig, type RawConfig } from "../../infra/config";

/** The ConfigError problems of a raw config, or [] when it resolves; any other error propagates. */
export function configProblems(raw: RawConfig): readonly string[] {
  try {
    resolveConfig("test", raw);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}
