/** The per-operator work queue: keys, deduplication, backoff, due times. */
export { WorkQueue, type QueueState, type WorkQueueOptions } from './work-queue.ts';
export { nextRunDelay, type ReconcileResult } from './reconcile-result.ts';
export { defaultBackoff, exponentialBackoff, type Backoff, type RetryRate } from './backoff.ts';
