import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../json.ts';
import { applyStatusSubresource } from './status-subresource.ts';

const stored: JsonObject = { metadata: { name: 'g', labels: { a: '1' }, generation: 1, managedFields: [] }, spec: { size: 1 }, status: { phase: 'Ready' } };
const on = { statusSubresource: true };

test('creating through the main resource drops status when the kind has a status subresource', () => {
  assert.equal(applyStatusSubresource('main', { spec: {}, status: { phase: 'x' } }, undefined, on).status, undefined);
  assert.deepEqual(applyStatusSubresource('main', { status: { phase: 'x' } }, undefined, { statusSubresource: false }).status, { phase: 'x' });
});

test('an update of the main resource ignores status changes', () => {
  const next = applyStatusSubresource('main', { metadata: { name: 'g' }, spec: { size: 2 }, status: { phase: 'Hacked' } }, stored, on);
  assert.deepEqual(next, { metadata: { name: 'g' }, spec: { size: 2 }, status: { phase: 'Ready' } });
});

test('an update of /status ignores everything but status (and managedFields) for custom resources', () => {
  const next = applyStatusSubresource('status', { metadata: { name: 'g', labels: { b: '2' }, managedFields: [{ manager: 'm' }] }, spec: { size: 9 }, status: { phase: 'Done' } }, stored, on);
  assert.deepEqual(next, { metadata: { name: 'g', labels: { a: '1' }, generation: 1, managedFields: [{ manager: 'm' }] }, spec: { size: 1 }, status: { phase: 'Done' } });
});

test('an update of /status on a built-in resets the metadata kube resets and keeps the rest', () => {
  const next = applyStatusSubresource('status', { metadata: { name: 'g', labels: { b: '2' }, resourceVersion: '7' }, spec: { size: 9 }, status: { phase: 'Done' } }, stored, { statusSubresource: true, builtin: true });
  assert.deepEqual(next, { metadata: { name: 'g', labels: { a: '1' }, generation: 1, resourceVersion: '7' }, spec: { size: 1 }, status: { phase: 'Done' } });
});
