export const TIERS = ["free", "production"] as const;
export type Tier = (typeof TIERS)[number];
