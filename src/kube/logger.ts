/** How the kube client reports what it does: one structured event per line, never a string to parse. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * A sink for structured log events, injected by whoever builds the client (the host adapts
 * its own logger to this). `event` is a stable dotted name (`informer.backoff`,
 * `kube.request.retry`) that metrics and alerts may match on; `fields` hold the identifiers.
 */
export interface KubeLogger {
  log(level: LogLevel, event: string, fields: Readonly<Record<string, unknown>>): void;
}

/** Drops everything: the default when no logger is given. */
export const silentLogger: KubeLogger = { log() {} };
