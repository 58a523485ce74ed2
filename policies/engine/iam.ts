import { arr, jsonDoc, obj, type Obj } from "./inputs";

/** Statements of an IAM policy document given as JSON text or object. */
export function statementsOf(document: unknown): Obj[] {
  const statement = obj(jsonDoc(document))?.["Statement"];
  return (Array.isArray(statement) ? statement : [statement]).map(obj).filter((s): s is Obj => s !== undefined);
}

/** IAM fields that take a string or a list of strings. */
export function oneOrMany(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return arr(value).filter((v): v is string => typeof v === "string");
}

export function isAllow(statement: Obj): boolean {
  return statement["Effect"] === "Allow";
}
