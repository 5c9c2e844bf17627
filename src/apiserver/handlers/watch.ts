/**
 * WATCH: a chunked stream of newline-delimited JSON events, as kube-apiserver sends them.
 *
 * - Without a resourceVersion (or with "0"), the stream starts with an ADDED event for every
 *   selected object; with one, it replays the history after it, or sends a single ERROR
 *   event (410 Expired) when that history was compacted, and ends.
 * - An object that starts or stops matching the selectors arrives as ADDED or DELETED.
 * - BOOKMARK events (only metadata.resourceVersion) come periodically with allowWatchBookmarks,
 *   and after the initial events with sendInitialEvents=true.
 * - The stream ends after timeoutSeconds (default: kube's 30-60 minutes), and is cut if the
 *   client stops reading.
 */
import { ApiError, badRequest, expired } from '../http/api-error.ts';
import type { ResponseFormat } from '../http/media-type.ts';
import type { JsonObject } from '../json.ts';
import { apiVersionOf } from '../registry/resource-type.ts';
import { matchesSelectors, parseObjectFilter, selectsAll, type ObjectFilter } from '../selectors/object-filter.ts';
import { StoredObject, type ChangeType, type StoreEvent } from '../storage/stored-object.ts';
import { toTable } from '../table/table-convertor.ts';
import { includeObjectOf, partialMetadata, responseFormat } from './render.ts';
import type { RequestContext } from './request-context.ts';
import { validateListOptions } from './list-options.ts';
import { parseResourceVersion, waitForResourceVersion } from './resource-version.ts';

/** A watcher whose socket holds more than this unsent is too slow and is cut off. */
const maxBufferedBytes = 64 * 1024 * 1024;

type EventType = ChangeType | 'BOOKMARK' | 'ERROR';

export async function handleWatch(ctx: RequestContext): Promise<void> {
  const { core, type, query, res } = ctx;
  const format = responseFormat(ctx, true);
  const namespace = type.namespaced && ctx.namespace !== '' ? ctx.namespace : undefined;
  const filter = parseObjectFilter(type, query, namespace);
  const rv = parseResourceVersion(query.get('resourceVersion'));
  const timeoutSeconds = parseTimeout(query.get('timeoutSeconds'), core.watch.minRequestTimeoutSeconds);
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  validateListOptions(query, true);
  const sendInitialEvents = query.get('sendInitialEvents');
  const initialState = sendInitialEvents === null ? rv === undefined || rv === 0 : sendInitialEvents === 'true';

  let tooLarge: ApiError | undefined;
  if (rv !== undefined && rv > core.store.rv) {
    // As kube's watch cache: wait a little for a resourceVersion from the future, then fail in the stream.
    await waitForResourceVersion(core.store, rv).catch((err: unknown) => {
      if (!(err instanceof ApiError)) throw err;
      tooLarge = err;
    });
  }
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  if (tooLarge !== undefined) {
    res.end(`{"type":"ERROR","object":${JSON.stringify(tooLarge.status())}}\n`);
    return;
  }
  const formatKey = `${apiVersionOf(type)}:${JSON.stringify(format)}:${includeObjectOf(ctx)}`;
  let tableHeadersSent = false;
  const render = (eventType: EventType, object: JsonObject | StoredObject): string => {
    const body = renderObject(ctx, format, object, !tableHeadersSent);
    if (format.as === 'Table') tableHeadersSent = true;
    return `{"type":"${eventType}","object":${body}}\n`;
  };
  const pathNamespacePrefix = namespace === undefined ? undefined : `${namespace}/`;
  const inScope = (key: string) => pathNamespacePrefix === undefined || key.startsWith(pathNamespacePrefix);

  let closed = false;
  const send = (text: string) => {
    if (closed) return;
    res.write(text);
    if (res.writableLength > maxBufferedBytes) close();
  };

  // Per watcher, once: the cache keys of its representation, and whether it selects everything.
  const cacheKeys: Record<ChangeType, string> = { ADDED: `ADDED:${formatKey}`, MODIFIED: `MODIFIED:${formatKey}`, DELETED: `DELETED:${formatKey}` };
  const everything = selectsAll(filter);
  // Everything up to `afterRv` is sent synchronously below; later events come from the hub.
  let afterRv: number;
  const store = core.store;
  if (initialState) {
    afterRv = store.rv;
    for (const stored of store.list(type.storage, namespace)) {
      if (selected(ctx, filter, stored)) send(render('ADDED', stored));
    }
    // kube's watch cache marks the end of the initial events only for watches that allow bookmarks.
    if (sendInitialEvents === 'true' && bookmarks) send(render('BOOKMARK', bookmarkObject(type, afterRv, true)));
  } else if (rv === undefined || rv === 0) {
    // sendInitialEvents=false without a resourceVersion: only what happens from now on.
    afterRv = store.rv;
  } else {
    const history = store.history.since(rv);
    if (history === 'expired') {
      const err = expired(`too old resource version: ${rv} (${store.history.compactedRv})`);
      res.end(`{"type":"ERROR","object":${JSON.stringify(err.status())}}\n`);
      return;
    }
    afterRv = rv;
    for (const event of history) {
      if (event.storage !== type.storage) continue;
      afterRv = event.rv;
      if (inScope(event.key)) deliver(event);
    }
    afterRv = Math.max(afterRv, rv);
  }

  function deliver(event: StoreEvent, cache?: Map<string, string>): void {
    const outcome = everything ? event.type : classify(ctx, filter, event);
    if (outcome === undefined) return;
    // Events that keep their type share one serialization across watchers of the same representation.
    const cacheKey = cacheKeys[outcome];
    if (cache !== undefined && format.as !== 'Table') {
      let text = cache.get(cacheKey);
      if (text === undefined) {
        text = render(outcome, event.object);
        cache.set(cacheKey, text);
      }
      send(text);
    } else {
      send(render(outcome, event.object));
    }
  }

  const removeWatcher = core.hub.add({
    storage: type.storage,
    afterRv,
    deliver: (event, cache) => {
      if (inScope(event.key)) deliver(event, cache);
    },
    close: () => close(),
  });
  const timers: NodeJS.Timeout[] = [setTimeout(close, timeoutSeconds * 1000)];
  // Never behind what the stream has already covered (its initial state may include writes of this very turn).
  const bookmarkRv = () => Math.max(store.committedRv, afterRv);
  if (bookmarks) timers.push(setInterval(() => send(render('BOOKMARK', bookmarkObject(type, bookmarkRv(), false))), core.watch.bookmarkIntervalMs));
  for (const t of timers) t.unref();
  res.on('close', close);

  function close(): void {
    if (closed) return;
    closed = true;
    removeWatcher();
    for (const t of timers) clearTimeout(t);
    if (!res.writableEnded) res.end();
  }
}

function selected(ctx: RequestContext, filter: ObjectFilter, stored: StoredObject): boolean {
  return matchesSelectors(ctx.type, filter, ctx.core.resources.served(ctx.type, stored));
}

// kube's filtering watch: a change that moves an object into or out of the selection is an ADDED or a DELETED.
function classify(ctx: RequestContext, filter: ObjectFilter, event: StoreEvent): ChangeType | undefined {
  const now = selected(ctx, filter, event.object);
  switch (event.type) {
    case 'ADDED':
      return now ? 'ADDED' : undefined;
    case 'DELETED':
      return now ? 'DELETED' : undefined;
    case 'MODIFIED': {
      const before = event.prev !== undefined && selected(ctx, filter, event.prev);
      if (before && now) return 'MODIFIED';
      if (now) return 'ADDED';
      if (before) return 'DELETED';
      return undefined;
    }
  }
}

function renderObject(ctx: RequestContext, format: ResponseFormat, object: JsonObject | StoredObject, tableHeaders: boolean): string {
  const { core, type } = ctx;
  const isStored = object instanceof StoredObject;
  const served = (): JsonObject => (isStored ? core.resources.served(type, object as StoredObject) : (object as JsonObject));
  switch (format.as) {
    case 'object':
      return isStored ? core.resources.servedJson(type, object as StoredObject) : JSON.stringify(object);
    case 'Table': {
      const obj = served();
      if (!isStored) return JSON.stringify(obj); // bookmarks stay plain objects
      return JSON.stringify(toTable(type, [obj], core.hooks, core.now(), {
        version: format.version, includeObject: includeObjectOf(ctx), noHeaders: !tableHeaders, listMetadata: { resourceVersion: String((obj.metadata as JsonObject).resourceVersion ?? '') },
      }));
    }
    case 'PartialObjectMetadata':
      return JSON.stringify(isStored ? partialMetadata(served(), format.version) : object);
    case 'APIGroupDiscoveryList':
      throw new ApiError(500, 'InternalError', 'discovery format negotiated for a watch');
  }
}

function bookmarkObject(type: RequestContext['type'], rv: number, initialEventsEnd: boolean): JsonObject {
  const metadata: JsonObject = { resourceVersion: String(rv), creationTimestamp: null };
  if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
  return { kind: type.kind, apiVersion: apiVersionOf(type), metadata };
}

function parseTimeout(text: string | null, minRequestTimeoutSeconds: number): number {
  const n = text === null || text === '' ? 0 : Number(text);
  if (!Number.isFinite(n) || n < 0) throw badRequest(`invalid timeoutSeconds: ${JSON.stringify(text)}`);
  return n === 0 ? minRequestTimeoutSeconds * (1 + Math.random()) : n;
}
