/**
 * Structured logging. The host adds the operator's name and the request being reconciled, so
 * a line needs only what is specific to it.
 */
import { engineHost } from './host.ts';
import type { LogEntry } from './host.ts';

function write(level: LogEntry['level'], message: string, fields?: Record<string, unknown>): void {
  engineHost().log(fields === undefined ? { level, message } : { level, message, fields });
}

export const log = {
  debug(message: string, fields?: Record<string, unknown>): void {
    write('debug', message, fields);
  },
  info(message: string, fields?: Record<string, unknown>): void {
    write('info', message, fields);
  },
  warn(message: string, fields?: Record<string, unknown>): void {
    write('warn', message, fields);
  },
  error(message: string, fields?: Record<string, unknown>): void {
    write('error', message, fields);
  },
};
