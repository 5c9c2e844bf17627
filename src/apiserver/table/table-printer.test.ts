import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../json.ts';
import { builtinPrinter, formatSelector } from './builtin-printers.ts';
import { customResourcePrinter, defaultPrinter } from './custom-resource-printer.ts';
import { humanDuration } from './human-duration.ts';
import { evaluateJsonPath } from './jsonpath.ts';

const now = Date.parse('2024-05-10T12:00:00Z');
const created = '2024-05-10T11:55:00Z';
const names = (p: { columns: { name: string; priority: number }[] }, priority = 0) => p.columns.filter((c) => c.priority <= priority).map((c) => c.name.toUpperCase());

test('ages read like kubectl ages', () => {
  const s = 1000;
  assert.deepEqual([45 * s, 200 * s, 12 * 60 * s, (5 * 3600 + 600) * s, 20 * 3600 * s, (3 * 86400 + 4 * 3600) * s, 12 * 86400 * s, (2 * 365 + 30) * 86400 * s].map(humanDuration),
    ['45s', '3m20s', '12m', '5h10m', '20h', '3d4h', '12d', '2y30d']);
});

test('JSONPath finds fields, indexes, wildcards and filtered elements', () => {
  const pod = { status: { conditions: [{ type: 'Scheduled', status: 'True' }, { type: 'Ready', status: 'False' }] }, spec: { containers: [{ name: 'a' }, { name: 'b' }] } };
  assert.deepEqual(evaluateJsonPath('.status.conditions[?(@.type=="Ready")].status', pod), ['False']);
  assert.deepEqual(evaluateJsonPath('.spec.containers[*].name', pod), ['a', 'b']);
  assert.deepEqual(evaluateJsonPath('{.spec.containers[-1].name}', pod), ['b']);
  assert.deepEqual(evaluateJsonPath('.spec.missing.deeper', pod), []);
  assert.deepEqual(evaluateJsonPath("..name", pod), ['a', 'b']);
  assert.throws(() => evaluateJsonPath('.spec[', pod), /unrecognized column definition/);
});

test('a custom resource without printer columns prints NAME and AGE', () => {
  const printer = customResourcePrinter(undefined);
  assert.deepEqual(names(printer), ['NAME', 'AGE']);
  assert.deepEqual(printer.cells({ metadata: { name: 'g1', creationTimestamp: created } }, now), ['g1', '5m']);
});

test('additionalPrinterColumns convert values by type and hide priority columns from the default view', () => {
  const printer = customResourcePrinter([
    { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
    { name: 'Ratio', type: 'number', jsonPath: '.spec.ratio' },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    { name: 'Paused', type: 'boolean', jsonPath: '.spec.paused', priority: 1 },
    { name: 'Since', type: 'date', jsonPath: '.status.since', description: 'when' },
  ]);
  assert.deepEqual(names(printer), ['NAME', 'SIZE', 'RATIO', 'READY', 'SINCE']);
  assert.equal(printer.columns[1]!.description, 'Custom resource definition column (in JSONPath format): .spec.size');
  const g = { metadata: { name: 'g' }, spec: { size: 3, ratio: 'x', paused: true }, status: { since: '2024-05-07T12:00:00Z', conditions: [{ type: 'Ready', status: 'True' }] } };
  assert.deepEqual(printer.cells(g, now), ['g', 3, null, 'True', true, '3d']);
});

test('pods print READY, STATUS and RESTARTS as kubectl does', () => {
  const printer = builtinPrinter('', 'pods');
  assert.deepEqual(names(printer), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
  const pod: JsonObject = {
    metadata: { name: 'web', creationTimestamp: created },
    spec: { containers: [{ name: 'a' }, { name: 'b' }], nodeName: 'n1' },
    status: {
      phase: 'Running', podIP: '10.0.0.5',
      containerStatuses: [
        { name: 'a', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { finishedAt: '2024-05-10T11:59:00Z' } } },
        { name: 'b', ready: false, restartCount: 0, state: { waiting: { reason: 'CrashLoopBackOff' } } },
      ],
    },
  };
  assert.deepEqual(printer.cells(pod, now), ['web', '1/2', 'CrashLoopBackOff', '2 (60s ago)', '5m', '10.0.0.5', 'n1', '<none>', '<none>']);
  assert.deepEqual(printer.cells({ metadata: { name: 'p' }, spec: { containers: [{ name: 'a' }] }, status: { phase: 'Pending' } }, now).slice(0, 4), ['p', '0/1', 'Pending', '0']);
  assert.equal(printer.cells({ metadata: { name: 'p', deletionTimestamp: created }, spec: { containers: [] }, status: { phase: 'Running' } }, now)[2], 'Terminating');
});

test('deployments, services, configmaps, secrets and the other built-ins print kubectl columns', () => {
  const d = builtinPrinter('apps', 'deployments');
  assert.deepEqual(names(d), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
  const dep = { metadata: { name: 'web', creationTimestamp: created }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1' }] } } }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } };
  assert.deepEqual(d.cells(dep, now), ['web', '2/3', 3, 2, '5m', 'nginx', 'nginx:1', 'app=web']);
  const s = builtinPrinter('', 'services');
  assert.deepEqual(names(s), ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
  const svc: JsonObject = { metadata: { name: 'web', creationTimestamp: created }, spec: { type: 'NodePort', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], selector: { app: 'web' } } };
  assert.deepEqual(s.cells(svc, now), ['web', 'NodePort', '10.96.0.10', '<none>', '80:30080/TCP,53/UDP', '5m', 'app=web']);
  assert.equal(s.cells({ metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [] } }, now)[3], '<pending>');
  assert.deepEqual(builtinPrinter('', 'configmaps').cells({ metadata: { name: 'c', creationTimestamp: created }, data: { a: '1' }, binaryData: { b: 'AA==' } }, now), ['c', 2, '5m']);
  assert.deepEqual(names(builtinPrinter('', 'secrets')), ['NAME', 'TYPE', 'DATA', 'AGE']);
  assert.deepEqual(names(builtinPrinter('', 'namespaces')), ['NAME', 'STATUS', 'AGE']);
  assert.deepEqual(names(builtinPrinter('', 'serviceaccounts')), ['NAME', 'SECRETS', 'AGE']);
  assert.deepEqual(names(builtinPrinter('coordination.k8s.io', 'leases')), ['NAME', 'HOLDER', 'AGE']);
  assert.deepEqual(names(builtinPrinter('apiextensions.k8s.io', 'customresourcedefinitions')), ['NAME', 'CREATED AT']);
  assert.deepEqual(defaultPrinter().cells({ metadata: { name: 'gadgets.example.com', creationTimestamp: '2024-05-10T11:55:00.000Z' } }, now), ['gadgets.example.com', '2024-05-10T11:55:00Z']);
});

test('events print LAST SEEN TYPE REASON OBJECT MESSAGE', () => {
  const e = builtinPrinter('', 'events');
  assert.deepEqual(names(e), ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
  const ev = { metadata: { name: 'web.17' }, type: 'Normal', reason: 'Scheduled', message: ' Assigned ', involvedObject: { kind: 'Pod', name: 'web' }, firstTimestamp: created, lastTimestamp: '2024-05-10T11:59:00Z', count: 2, source: { component: 'scheduler' } };
  assert.deepEqual(e.cells(ev, now), ['60s', 'Normal', 'Scheduled', 'pod/web', '', 'scheduler', 'Assigned', '5m', 2, 'web.17']);
});

test('selectors print sorted, with set-based requirements', () => {
  assert.equal(formatSelector({ matchLabels: { tier: 'front', app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['b', 'a'] }, { key: 'gone', operator: 'DoesNotExist' }] }), 'app=web,env in (a,b),!gone,tier=front');
});
