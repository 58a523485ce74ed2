// Templates per game and locale (Handlebars: logic-less beyond if/unless/each/with, HTML-escaped in
// email HTML). A template's content may only use the variables it declares, and every request's
// data is checked against those declarations, so a rendering never meets a surprise.
import Handlebars from "handlebars";
import type { FieldError } from "../shared/events/validate";
import type { Channel, ChannelContent, ContentParts, Template, VariableSpec } from "./model";

const hbs = Handlebars.create();
const PARTS = ["subject", "text", "html"] as const;
const CONTEXT_BLOCKS = new Set(["each", "with"]);
const BUILTINS = new Set(["if", "unless", "each", "with", "lookup"]);

/** Variables a digest's content sees: the merged notifications' data as `items`, and their number. */
export const DIGEST_VARIABLES = ["items", "count"];

type Node = hbs.AST.Node & Record<string, unknown>;

/** The top-level names a template source refers to; throws on syntax errors and on unsupported constructs. */
export function referencedNames(source: string): Set<string> {
  const names = new Set<string>();
  const visit = (node: Node | undefined, depth: number): void => {
    if (node === undefined || node === null) return;
    switch (node.type) {
      case "Program":
        for (const s of (node as unknown as hbs.AST.Program).body) visit(s as Node, depth);
        return;
      case "PartialStatement":
      case "PartialBlockStatement":
      case "DecoratorBlock":
      case "Decorator":
        throw new Error("partials and decorators are not supported");
      case "MustacheStatement":
      case "SubExpression":
      case "BlockStatement": {
        const path = node.path as Node;
        const params = (node.params as Node[] | undefined) ?? [];
        const isHelper = path.type === "PathExpression" && (params.length > 0 || node.type === "BlockStatement");
        const helper = isHelper ? String(path.original) : undefined;
        if (helper !== undefined && !BUILTINS.has(helper)) throw new Error(`unknown helper "${helper}"; allowed: ${[...BUILTINS].join(", ")}`);
        if (helper === undefined) visit(path, depth);
        for (const p of params) visit(p, depth);
        const inner = helper !== undefined && CONTEXT_BLOCKS.has(helper) ? depth + 1 : depth;
        visit(node.program as Node | undefined, inner);
        visit(node.inverse as Node | undefined, depth);
        return;
      }
      case "PathExpression": {
        const p = node as unknown as hbs.AST.PathExpression;
        // Inside each/with the context is the item; @root.x, @index and this are not top-level names.
        if (depth === 0 && !p.data && p.parts.length > 0 && p.original !== "this") names.add(p.parts[0]);
        return;
      }
      default:
        return;
    }
  };
  visit(hbs.parse(source) as unknown as Node, 0);
  return names;
}

/** Problems with a template's contents, as field errors under `/locales/<locale>/<channel>/...`. */
export function checkContents(t: Pick<Template, "contents" | "variables" | "defaultLocale">): FieldError[] {
  const errors: FieldError[] = [];
  if (t.contents[t.defaultLocale] === undefined) errors.push({ path: "/default_locale", message: `has no content in /locales/${t.defaultLocale}` });
  const declared = Object.keys(t.variables);
  for (const [locale, channels] of Object.entries(t.contents)) {
    for (const [channel, content] of Object.entries(channels) as [Channel, ChannelContent][]) {
      const check = (parts: ContentParts, at: string, allowed: readonly string[]) => {
        for (const part of PARTS) {
          const source = parts[part];
          if (source === undefined) continue;
          const path = `/locales/${locale}/${channel}${at}/${part}`;
          try {
            for (const name of referencedNames(source)) {
              if (!allowed.includes(name)) errors.push({ path, message: `uses "${name}", which is not a declared variable (declared: ${allowed.join(", ") || "none"})` });
            }
          } catch (err) {
            errors.push({ path, message: `is not a valid template: ${(err as Error).message.split("\n")[0]}` });
          }
        }
      };
      check(content, "", declared);
      if (content.digest !== undefined) check(content.digest, "/digest", DIGEST_VARIABLES);
    }
  }
  return errors;
}

/** The JSON schema a request's `data` must satisfy: exactly the declared variables, typed. */
export function dataSchema(variables: Record<string, VariableSpec>): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(variables)) {
    // NUL cannot be stored in PostgreSQL text or jsonb.
    properties[name] = v.type === "string" ? { type: "string", maxLength: v.max_length ?? 2000, pattern: "^[^\\u0000]*$" } : { type: v.type };
  }
  const required = Object.entries(variables).filter(([, v]) => v.required === true).map(([k]) => k);
  return { type: "object", additionalProperties: false, properties, required };
}

/**
 * The locale whose content serves `channel`: the request's, then the player's, each exact and then
 * its language ("pt-BR" -> "pt"), then the template's default.
 */
export function resolveLocale(t: Template, channel: Channel, wanted: readonly (string | null | undefined)[]): string | undefined {
  const candidates = wanted.flatMap((l) => (l === null || l === undefined ? [] : [l, l.split("-")[0]]));
  return [...candidates, t.defaultLocale].find((l) => t.contents[l]?.[channel] !== undefined);
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();

function compile(source: string, escape: boolean, cacheKey: string): HandlebarsTemplateDelegate {
  let fn = compiled.get(cacheKey);
  if (fn === undefined) {
    fn = hbs.compile(source, { noEscape: !escape, knownHelpersOnly: true, knownHelpers: { if: true, unless: true, each: true, with: true, lookup: true } });
    if (compiled.size > 5000) compiled.clear();
    compiled.set(cacheKey, fn);
  }
  return fn;
}

/**
 * Renders one delivery: the plain content for one notification, the digest content for several
 * (when the template has one; otherwise the newest item with the plain content).
 */
export function render(t: Template, channel: Channel, locale: string, items: readonly Record<string, unknown>[]): ContentParts {
  const content = t.contents[locale]?.[channel];
  if (content === undefined) throw new Error(`template ${t.templateId} has no ${channel} content for locale ${locale}`);
  const digest = items.length > 1 && content.digest !== undefined;
  const parts: ContentParts = digest ? (content.digest as ContentParts) : content;
  const context = digest ? { items, count: items.length } : items[items.length - 1];
  const key = `${t.gameId}/${t.templateId}/${t.updatedAt.getTime()}/${locale}/${channel}/${digest ? "digest" : "plain"}`;
  const out: ContentParts = { text: compile(parts.text, false, `${key}/text`)(context) };
  // A subject is one header line: no CR/LF may reach it.
  if (parts.subject !== undefined) out.subject = compile(parts.subject, false, `${key}/subject`)(context).replace(/[\r\n]+/g, " ").trim();
  if (parts.html !== undefined) out.html = compile(parts.html, true, `${key}/html`)(context);
  return out;
}
