/**
 * The watch protocol's framing: one JSON watch event per line, as the API server streams them.
 */
import { WatchStreamError } from './errors.ts';
import type { KubeObject } from './kube-object.ts';

/** The event types of a watch stream (`ERROR` carries a `Status`, `BOOKMARK` only a resourceVersion). */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** One event of a watch stream, exactly as the API server sent it. */
export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

const eventTypes = new Set<string>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/**
 * Splits a byte stream into watch events.
 *
 * Robust to any chunking: an event, or a multi-byte character, split across chunks is put back
 * together. A stream that ends cleanly after a complete event ends the iteration; one that
 * ends in the middle of an event, or carries a line that is not a watch event, throws a
 * `WatchStreamError` (events before it have been yielded). `path` names the watch in errors.
 */
export async function* parseWatchEvents(chunks: AsyncIterable<Uint8Array | string>, path: string): AsyncGenerator<WatchEvent> {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let pending = '';
  for await (const chunk of chunks) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim() !== '') yield parseLine(line, path);
      newline = pending.indexOf('\n');
    }
  }
  pending += decoder.decode();
  if (pending.trim() === '') return;
  // A JSON encoder may omit the newline after the last event; anything else is a cut stream.
  let complete = true;
  try {
    JSON.parse(pending);
  } catch {
    complete = false;
  }
  if (!complete) throw new WatchStreamError(path, `the stream ended in the middle of an event (${pending.length} bytes of it received)`);
  yield parseLine(pending, path);
}

function parseLine(line: string, path: string): WatchEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new WatchStreamError(path, `a line is not JSON: ${excerpt(line)}`, err);
  }
  const event = value as { type?: unknown; object?: unknown };
  if (typeof event?.type !== 'string' || !eventTypes.has(event.type) || typeof event.object !== 'object' || event.object === null) {
    throw new WatchStreamError(path, `a line is not a watch event: ${excerpt(line)}`);
  }
  return event as WatchEvent;
}

function excerpt(line: string): string {
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}
