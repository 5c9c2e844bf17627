/**
 * The host's structured logger: one event per line, human-readable by default, JSON for
 * machines. Every part of the host logs through a `Logger` it is given (never a global), and
 * the kube client's `KubeLogger` is structurally the same `log` method.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  /** `event` is a stable dotted name (`operator.suspended`); `fields` hold identifiers and figures. */
  log(level: LogLevel, event: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. the operator's name). */
  child(fields: LogFields): Logger;
}

export type LogFormat = 'text' | 'json';

export interface LoggerOptions {
  format: LogFormat;
  /** Lines below this level are dropped. */
  level: LogLevel;
  /** Where lines go; the CLI passes stderr, tests collect them. */
  write: (line: string) => void;
  now?: () => Date;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A logger writing `format` lines at or above `level` to `write`. */
export function createLogger(options: LoggerOptions, bound: LogFields = {}): Logger {
  const now = options.now ?? (() => new Date());
  return {
    log(level, event, fields = {}) {
      if (rank[level] < rank[options.level]) return;
      const all = { ...bound, ...fields };
      options.write(options.format === 'json' ? jsonLine(now(), level, event, all) : textLine(now(), level, event, all));
    },
    child(fields) {
      return createLogger(options, { ...bound, ...fields });
    },
  };
}

/** Drops everything. */
export const silentLogger: Logger = {
  log() {},
  child() {
    return silentLogger;
  },
};

function jsonLine(time: Date, level: LogLevel, event: string, fields: LogFields): string {
  return `${JSON.stringify({ time: time.toISOString(), level, event, ...serializable(fields) })}\n`;
}

function textLine(time: Date, level: LogLevel, event: string, fields: LogFields): string {
  const parts = [time.toISOString(), level.toUpperCase().padEnd(5), event];
  for (const [key, value] of Object.entries(serializable(fields))) parts.push(`${key}=${textValue(value)}`);
  return `${parts.join(' ')}\n`;
}

// Errors do not survive JSON.stringify; a log line must still say what went wrong.
function serializable(fields: LogFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out[key] = value instanceof Error ? errorText(value) : value;
  }
  return out;
}

function errorText(err: Error): string {
  const causes: string[] = [err.message];
  let cause = err.cause;
  while (cause instanceof Error && causes.length < 5) {
    causes.push(cause.message);
    cause = cause.cause;
  }
  return causes.join(': caused by: ');
}

function textValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
}
