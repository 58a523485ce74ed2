import { GameEvent, WireEvent } from "../shared/events/catalog";
import { toWireEvent } from "../shared/events/normalize";
import { FieldError, Validation } from "../shared/events/validate";
import { unstorable } from "./storable";

export type RejectReason = "invalid" | "unknown_type" | "forbidden_game" | "unstorable";

export interface Rejection {
  index: number;
  reason: RejectReason;
  errors: FieldError[];
}

/** Why an event that passed the schema may still not be taken from this key. */
export function gameMismatch(e: GameEvent, keyGameId: string): FieldError | undefined {
  return e.game_id !== undefined && e.game_id !== keyGameId
    ? { path: "/game_id", message: `does not match the API key's game "${keyGameId}"` }
    : undefined;
}

/** Splits a batch into events to publish and rejections by index; a pure step, no I/O. */
export function triage(
  items: readonly unknown[],
  validate: (input: unknown) => Validation<GameEvent>,
  keyGameId: string,
  receivedMs: number,
): { good: WireEvent[]; rejected: Rejection[] } {
  const good: WireEvent[] = [];
  const rejected: Rejection[] = [];
  items.forEach((item, index) => {
    const v = validate(item);
    if (!v.ok) return void rejected.push({ index, reason: v.unknownType ? "unknown_type" : "invalid", errors: v.errors });
    const mismatch = gameMismatch(v.value, keyGameId);
    if (mismatch !== undefined) return void rejected.push({ index, reason: "forbidden_game", errors: [mismatch] });
    const unfit = unstorable(v.value);
    if (unfit.length > 0) return void rejected.push({ index, reason: "unstorable", errors: unfit });
    good.push(toWireEvent(v.value, keyGameId, receivedMs));
  });
  return { good, rejected };
}
