/**
 * LIST with selectors, pagination (`limit` and `continue`, every page from one consistent
 * snapshot), and kube's resourceVersion semantics (latest, any, not older than, exact).
 */
import { badRequest, expired } from '../http/api-error.ts';
import type { JsonObject } from '../json.ts';
import { matchesSelectors, parseObjectFilter, selectsAll } from '../selectors/object-filter.ts';
import { keysAndObjectsAt } from '../storage/snapshot.ts';
import type { StoredObject } from '../storage/stored-object.ts';
import { validateListOptions } from './list-options.ts';
import { parseResourceVersion, waitForResourceVersion } from './resource-version.ts';
import { responseFormat, sendList } from './render.ts';
import type { RequestContext } from './request-context.ts';

interface ContinueToken {
  rv: number;
  /** The last key returned; the next page starts after it. */
  after: string;
}

const expiredContinueMessage = 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export async function handleList(ctx: RequestContext): Promise<void> {
  const { core, type, query } = ctx;
  const format = responseFormat(ctx, true);
  validateListOptions(query, false);
  const namespace = type.namespaced && ctx.namespace !== '' ? ctx.namespace : undefined;
  const filter = parseObjectFilter(type, query, namespace);
  const limit = parseLimit(query.get('limit'));
  const continueText = query.get('continue') ?? '';
  let rv = parseResourceVersion(query.get('resourceVersion'));
  const exact = query.get('resourceVersionMatch') === 'Exact';
  let token: ContinueToken | undefined;
  if (continueText !== '') {
    if (rv !== undefined) throw badRequest('specifying resource version is not allowed when using continue');
    token = decodeContinue(continueText);
    rv = token.rv;
  } else if (rv !== undefined && rv > 0) {
    await waitForResourceVersion(core.store, rv);
  }
  const store = core.store;
  let listRv = store.rv;
  let candidates: { key: string; object: StoredObject }[];
  if ((token !== undefined && token.rv !== 0) || (exact && rv !== undefined && rv > 0)) {
    listRv = rv!;
    const snapshot = keysAndObjectsAt(store, type.storage, listRv, namespace, token?.after);
    if (snapshot === 'expired') {
      if (token === undefined) throw expired(`too old resource version: ${listRv} (${store.history.compactedRv})`);
      throw expired(expiredContinueMessage, encodeContinue({ rv: 0, after: token.after }));
    }
    candidates = snapshot;
  } else {
    candidates = store.keys(type.storage, namespace, token?.after).map((key) => ({ key, object: store.get(type.storage, key)! }));
  }
  const items: StoredObject[] = [];
  let lastKey: string | undefined;
  let index = 0;
  const checkSelectors = !selectsAll(filter);
  for (; index < candidates.length; index++) {
    if (limit !== undefined && items.length >= limit) break;
    const { key, object } = candidates[index]!;
    if (checkSelectors && !matchesSelectors(type, filter, core.resources.served(type, object))) continue;
    items.push(object);
    lastKey = key;
  }
  const metadata: JsonObject = { resourceVersion: String(listRv) };
  if (index < candidates.length && lastKey !== undefined) {
    metadata.continue = encodeContinue({ rv: listRv, after: lastKey });
    if (!checkSelectors) metadata.remainingItemCount = candidates.length - index;
  }
  sendList(ctx, items, metadata, format);
}

function parseLimit(text: string | null): number | undefined {
  if (text === null || text === '' || text === '0') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid limit: ${JSON.stringify(text)}`);
  return n;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: `${token.after}\u0000` })).toString('base64url');
}

function decodeContinue(text: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { v?: unknown; rv?: unknown; start?: unknown };
    if (parsed.v === 'meta.k8s.io/v1' && typeof parsed.rv === 'number' && typeof parsed.start === 'string' && parsed.start.endsWith('\u0000')) {
      return { rv: parsed.rv, after: parsed.start.slice(0, -1) };
    }
  } catch {
    // fall through to the 400 below
  }
  throw badRequest(`continue key is not valid: ${text}`);
}
