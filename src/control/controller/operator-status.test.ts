import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OperatorReport } from '../../runtime/index.ts';
import { conditionTime, desiredStatus, statusChange, statusPatch, type StatusInputs } from './operator-status.ts';

const report = (over: Partial<OperatorReport> = {}): OperatorReport => ({
  name: 'web/site', phase: 'suspended', moduleDigest: 'sha256:aaa', wakeUps: 2, reconciles: 5, failures: 0, suspensions: 2,
  residentBytes: 0, snapshotBytes: 4096, queued: 0, lastActiveMs: 0, pinned: false, ...over,
});
const now = '2026-03-01T10:00:00Z';
const inputs = (over: Partial<StatusInputs>): StatusInputs => ({ attempt: { kind: 'applied', generation: 3 }, report: undefined, problem: undefined, previous: undefined, nowIso: now, ...over });
const summary = (s: ReturnType<typeof desiredStatus>) => [s.phase, ...(s.conditions ?? []).map((c) => `${c.type}=${c.status}/${c.reason}`)];

test('a running operator is Ready with its module loaded, its figures and the generation acted on', () => {
  const status = desiredStatus(inputs({ report: report() }));
  assert.deepEqual(summary(status), ['Suspended', 'Ready=True/Running', 'ModuleLoaded=True/Loaded', 'Degraded=False/AsExpected']);
  assert.deepEqual([status.observedGeneration, status.moduleDigest, status.wakeUps, status.reconciles, status.snapshotBytes], [3, 'sha256:aaa', 2, 5, 4096]);
  assert.ok(status.conditions!.every((c) => c.observedGeneration === 3 && c.lastTransitionTime === now));
});

test('a spec refused with nothing running is Invalid, not ready, and says why', () => {
  const status = desiredStatus(inputs({ attempt: { kind: 'refused', generation: 4, reason: 'InvalidSpec', message: 'spec.watches: Required value' } }));
  assert.deepEqual(summary(status), ['Invalid', 'Ready=False/InvalidSpec', 'ModuleLoaded=Unknown/InvalidSpec', 'Degraded=True/InvalidSpec']);
  assert.equal(status.lastError, 'spec.watches: Required value');
  assert.equal(status.moduleDigest, undefined);
});

test('a broken module for a new generation leaves the previous one running, and says so', () => {
  const status = desiredStatus(inputs({ attempt: { kind: 'refused', generation: 5, reason: 'ModuleInvalid', message: 'not a wasm module' }, report: report({ phase: 'warm' }) }));
  assert.deepEqual(summary(status), ['Warm', 'Ready=True/PreviousGenerationRunning', 'ModuleLoaded=False/ModuleInvalid', 'Degraded=True/ModuleInvalid']);
  assert.equal(status.moduleDigest, 'sha256:aaa');
});

test('a module the host cannot fetch yet is Pending while the host retries', () => {
  const status = desiredStatus(inputs({ problem: { name: 'web/site', error: 'ConfigMap web/mod: could not be read', code: 'MODULE_SOURCE', retryAtMs: 1 } }));
  assert.deepEqual(summary(status), ['Pending', 'Ready=False/ModuleUnavailable', 'ModuleLoaded=False/ModuleUnavailable', 'Degraded=True/ModuleUnavailable']);
  assert.match(status.lastError!, /could not be read \(retrying with backoff\)/);
});

test('a start that fails after the module loaded (a watched kind not served) is StartFailed', () => {
  const status = desiredStatus(inputs({ problem: { name: 'web/site', error: 'kind Website is not served', code: 'KIND_NOT_FOUND', retryAtMs: 1 } }));
  assert.deepEqual(summary(status), ['Pending', 'Ready=False/StartFailed', 'ModuleLoaded=True/Loaded', 'Degraded=True/StartFailed']);
});

test('a failure the host found permanent on a retry is Invalid, by its code', () => {
  const problem = { name: 'web/site', error: 'bad magic', code: 'MODULE_INVALID', permanent: true };
  assert.deepEqual(summary(desiredStatus(inputs({ problem }))), ['Invalid', 'Ready=False/ModuleInvalid', 'ModuleLoaded=False/ModuleInvalid', 'Degraded=True/ModuleInvalid']);
});

test('a guest that keeps failing is Degraded and not Ready, with its last error', () => {
  const status = desiredStatus(inputs({ report: report({ phase: 'failed', failures: 3, lastError: 'trap: unreachable' }) }));
  assert.deepEqual(summary(status), ['Failed', 'Ready=False/GuestFailing', 'ModuleLoaded=True/Loaded', 'Degraded=True/GuestFailing']);
  assert.equal(status.lastError, 'trap: unreachable');
});

test('a condition keeps its transition time while its status holds, whatever its reason', () => {
  const first = desiredStatus(inputs({ report: report(), nowIso: '2026-03-01T10:00:00Z' }));
  const later = desiredStatus(inputs({ report: report(), previous: first, attempt: { kind: 'refused', generation: 4, reason: 'ModuleInvalid', message: 'x' }, nowIso: '2026-03-01T11:00:00Z' }));
  const time = (s: typeof first, type: string) => s.conditions!.find((c) => c.type === type)!.lastTransitionTime;
  assert.equal(time(later, 'Ready'), '2026-03-01T10:00:00Z'); // True -> True (PreviousGenerationRunning)
  assert.equal(time(later, 'Degraded'), '2026-03-01T11:00:00Z'); // False -> True
});

test('phases between warm and suspended and the counters are not meaningful changes; conditions and errors are', () => {
  const base = desiredStatus(inputs({ report: report() }));
  assert.equal(statusChange(undefined, base), 'meaningful');
  assert.equal(statusChange(base, { ...base }), 'none');
  assert.equal(statusChange(base, { ...base, phase: 'Warm', reconciles: 6, residentBytes: 65536 }), 'counters');
  assert.equal(statusChange(base, { ...base, phase: 'Failed' }), 'meaningful');
  assert.equal(statusChange(base, { ...base, lastError: 'boom' }), 'meaningful');
  assert.equal(statusChange(base, desiredStatus(inputs({ report: report(), attempt: { kind: 'applied', generation: 4 } }))), 'meaningful');
});

test('the status patch removes the figures of an operator that stopped running', () => {
  const status = desiredStatus(inputs({ attempt: { kind: 'refused', generation: 4, reason: 'InvalidSpec', message: 'bad' } }));
  const patch = statusPatch(status, ['phase', 'moduleDigest', 'wakeUps']);
  assert.deepEqual(patch, { status: { phase: 'Invalid', moduleDigest: null, wakeUps: null } });
});

test('condition times are RFC 3339 in whole seconds, as metav1.Time', () => {
  assert.equal(conditionTime(Date.parse('2026-03-01T10:00:00.987Z')), '2026-03-01T10:00:00Z');
});
