// The runtime config the dashboard's server serves (one build for every stack).
export interface AppConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly graphqlPath: string;
  readonly basePath: string;
}

export const BASE_PATH = "/dashboard";

export async function loadConfig(): Promise<AppConfig> {
  const r = await fetch(`${BASE_PATH}/config.json`);
  if (!r.ok) throw new Error(`the dashboard's config did not load (HTTP ${r.status})`);
  const c = (await r.json()) as Omit<AppConfig, "basePath">;
  return { ...c, basePath: BASE_PATH };
}
