import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WatchStreamError } from './errors.ts';
import { parseWatchEvents, type WatchEvent } from './watch-stream.ts';

const events: WatchEvent[] = [
  { type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '1' }, data: { greeting: 'héllo wörld ✓ 🚀' } } },
  { type: 'MODIFIED', object: { kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '2' } } },
  { type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: '7' } } },
];
const wire = Buffer.from(events.map((e) => `${JSON.stringify(e)}\n`).join(''), 'utf8');

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  for await (const event of parseWatchEvents(source, '/api/v1/configmaps')) out.push(event);
  return out;
}

test('events come out whole however the bytes are chunked, multi-byte characters included', async () => {
  for (const size of [1, 2, 3, 7, 64, wire.length]) assert.deepEqual(await collect(chunked(wire, size)), events, `chunk size ${size}`);
});

test('a last event without its newline is still an event', async () => {
  assert.deepEqual(await collect(chunked(wire.subarray(0, wire.length - 1), 5)), events);
});

test('a stream cut in the middle of an event yields the complete ones, then fails', async () => {
  const cut = wire.subarray(0, wire.length - 20);
  const seen: WatchEvent[] = [];
  await assert.rejects(
    (async () => {
      for await (const event of parseWatchEvents(chunked(cut, 10), '/api/v1/configmaps')) seen.push(event);
    })(),
    (err: unknown) => err instanceof WatchStreamError && /ended in the middle of an event/.test(err.message),
  );
  assert.deepEqual(seen, events.slice(0, 2));
});

test('a line that is not a watch event fails and quotes the line', async () => {
  await assert.rejects(collect(chunked(Buffer.from('{"kind":"Status"}\n'), 4)), /not a watch event: \{"kind":"Status"\}/);
  await assert.rejects(collect(chunked(Buffer.from('<html>\n'), 4)), /not JSON: <html>/);
});

test('blank lines between events are ignored', async () => {
  const spaced = Buffer.from(`\n${JSON.stringify(events[0])}\n\n\n${JSON.stringify(events[1])}\n`);
  assert.deepEqual(await collect(chunked(spaced, 3)), events.slice(0, 2));
});
