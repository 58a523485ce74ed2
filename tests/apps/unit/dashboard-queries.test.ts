// The dashboard's operations against the API's schema and limits: a renamed field or a query that
// grew past the cost limit fails here, not in a browser.
import { buildSchema, parse, specifiedRules, validate } from "graphql";
import { costRule } from "../../../apps/analytics/app";
import { ANALYTICS_DEFAULTS } from "../../../apps/analytics/config";
import { PERSISTED_QUERIES, persistedHash } from "../../../apps/analytics/persisted";
import { SCHEMA } from "../../../apps/analytics/schema";
import { DASHBOARD_QUERIES, LIVE_COUNTERS } from "../../../apps/shared/dashboard-queries";

const schema = buildSchema(SCHEMA);
const operations = { ...DASHBOARD_QUERIES, liveCounters: LIVE_COUNTERS };

test.each(Object.entries(operations))("%s is valid against the schema and within the cost limit", (_name, text) => {
  expect(validate(schema, parse(text), [...specifiedRules, costRule(ANALYTICS_DEFAULTS.limits.maxCost)]).map((e) => e.message)).toEqual([]);
});

test("the cost rule refuses what is over the limit (the check above can fail)", () => {
  expect(validate(schema, parse(DASHBOARD_QUERIES.funnels), [costRule(100)]).map((e) => e.extensions.code)).toEqual(["QUERY_TOO_COSTLY"]);
});

test("every dashboard query is persisted under its SHA-256", () => {
  for (const text of Object.values(DASHBOARD_QUERIES)) expect(PERSISTED_QUERIES[persistedHash(text)]).toBe(text);
});
