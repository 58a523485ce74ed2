import pino, { Logger } from "pino";
import { LogLevel } from "./config";

export type { Logger };

/** JSON logs to stdout, one line per record, tagged with the service name. */
export function createLogger(service: string, level: LogLevel): Logger {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
