import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ManualClock } from '../../../test/support/manual-clock.ts';
import { KubeConfigError } from '../errors.ts';
import type { KubeLogger } from '../logger.ts';
import { credentialSource } from './credentials.ts';

test('fixed tokens and basic auth become Authorization headers, and a 401 cannot refresh them', async () => {
  const bearer = credentialSource({ type: 'token', token: 'abc' });
  assert.deepEqual(await bearer.get(), { authorization: 'Bearer abc' });
  assert.equal(bearer.invalidate(), false);
  assert.deepEqual(await credentialSource({ type: 'basic', username: 'admin', password: 'p:w' }).get(), { authorization: `Basic ${Buffer.from('admin:p:w').toString('base64')}` });
  assert.deepEqual(await credentialSource({ type: 'none' }).get(), {});
});

test('a token file is read again once its refresh period has passed, as the kubelet rotates it', async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'wo-token-')), 'token');
  writeFileSync(file, 'first\n');
  const clock = new ManualClock();
  const source = credentialSource({ type: 'tokenFile', path: file }, { clock, tokenFileRefreshMs: 60_000 });
  assert.deepEqual(await source.get(), { authorization: 'Bearer first' });
  writeFileSync(file, 'second\n');
  await clock.advance(59_000);
  assert.deepEqual(await source.get(), { authorization: 'Bearer first' });
  await clock.advance(1_000);
  assert.deepEqual(await source.get(), { authorization: 'Bearer second' });
});

test('a token file that disappears keeps the last token and says so; one never readable is an error', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wo-token-'));
  const file = path.join(dir, 'token');
  writeFileSync(file, 'kept\n');
  const warnings: string[] = [];
  const logger: KubeLogger = { log: (_level, event, fields) => warnings.push(`${event} ${String(fields?.path)}`) };
  const clock = new ManualClock();
  const source = credentialSource({ type: 'tokenFile', path: file }, { clock, logger });
  await source.get();
  rmSync(file);
  assert.equal(source.invalidate(), true);
  assert.deepEqual(await source.get(), { authorization: 'Bearer kept' });
  assert.deepEqual(warnings, [`kube.token_file.unreadable ${file}`]);
  await assert.rejects(credentialSource({ type: 'tokenFile', path: path.join(dir, 'never') }).get(), KubeConfigError);
});
