/** The `resourceVersion` query parameter of reads: parsing, and waiting for a future one. */
import { badRequest, timeout } from '../http/api-error.ts';
import type { ObjectStore } from '../storage/object-store.ts';

/** '' or absent: the latest; a non-negative integer otherwise (a 400 for anything else). */
export function parseResourceVersion(text: string | null): number | undefined {
  if (text === null || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw badRequest(`invalid resource version: ${JSON.stringify(text)}`);
  return Number(text);
}

const tooLargeWaitMs = 3_000;

/**
 * Resolves once the store has reached `rv`. kube-apiserver waits a few seconds for a
 * resourceVersion from the future, then answers 504 with "Too large resource version".
 */
export async function waitForResourceVersion(store: ObjectStore, rv: number): Promise<void> {
  const deadline = Date.now() + tooLargeWaitMs;
  while (store.rv < rv) {
    if (Date.now() >= deadline) {
      throw timeout(`Too large resource version: ${rv}, current: ${store.rv}`, 1, [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }]);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
