/**
 * How the kube client reports what it does: through the host's structured logger (src/log),
 * of which it needs only `log`, so a test can pass a plain recorder.
 */
import type { Logger } from '../log/index.ts';

/**
 * The part of the host's `Logger` the kube client uses. Event names are stable dotted names
 * (`informer.backoff`, `kube.request.retry`) that metrics and alerts may match on.
 */
export type KubeLogger = Pick<Logger, 'log'>;

export { silentLogger } from '../log/index.ts';
