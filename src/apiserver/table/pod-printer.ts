import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { describe } from './descriptions.ts';
import { ageOf, humanDuration } from './human-duration.ts';
import { nameColumn } from './custom-resource-printer.ts';
import type { TablePrinter, TableRowCondition } from './table-printer.ts';

const col = (name: string, description: string, priority = 0) => ({ name, type: 'string', format: '', description, priority });

function obj(v: JsonValue | undefined): JsonObject {
  return isJsonObject(v) ? v : {};
}
function list(v: JsonValue | undefined): JsonObject[] {
  return Array.isArray(v) ? v.filter(isJsonObject) : [];
}
function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}
function num(v: JsonValue | undefined): number {
  return typeof v === 'number' ? v : 0;
}

/** READY, STATUS and RESTARTS of a pod, computed as kubectl's printer does. */
function podSummary(pod: JsonObject, nowMs: number): { ready: string; reason: string; restarts: string } {
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const initSpecs = new Map(list(spec.initContainers).map((c) => [str(c.name), c]));
  const isSidecar = (name: string): boolean => str(initSpecs.get(name)?.restartPolicy) === 'Always';
  let total = list(spec.containers).length + [...initSpecs.values()].filter((c) => str(c.restartPolicy) === 'Always').length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;
  let reason = str(status.reason) !== '' ? str(status.reason) : str(status.phase);
  for (const c of list(status.conditions)) if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  const finished = (c: JsonObject): number => Date.parse(str(obj(obj(c.lastState).terminated).finishedAt)) || 0;
  let initializing = false;
  const initStatuses = list(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    const state = obj(c.state);
    restarts += num(c.restartCount);
    lastRestart = Math.max(lastRestart, finished(c));
    if (isSidecar(str(c.name))) {
      sidecarRestarts += num(c.restartCount);
      lastSidecarRestart = Math.max(lastSidecarRestart, finished(c));
    }
    const terminated = isJsonObject(state.terminated) ? state.terminated : undefined;
    const waiting = isJsonObject(state.waiting) ? state.waiting : undefined;
    if (terminated !== undefined && num(terminated.exitCode) === 0) continue;
    if (isSidecar(str(c.name)) && c.started === true) {
      if (c.ready === true) ready++;
      continue;
    }
    if (terminated !== undefined) {
      if (str(terminated.reason) !== '') reason = `Init:${str(terminated.reason)}`;
      else reason = num(terminated.signal) !== 0 ? `Init:Signal:${num(terminated.signal)}` : `Init:ExitCode:${num(terminated.exitCode)}`;
    } else if (waiting !== undefined && str(waiting.reason) !== '' && waiting.reason !== 'PodInitializing') {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initSpecs.size}`;
    }
    initializing = true;
    break;
  }
  const initialized = list(status.conditions).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = list(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      const state = obj(c.state);
      restarts += num(c.restartCount);
      lastRestart = Math.max(lastRestart, finished(c));
      const terminated = isJsonObject(state.terminated) ? state.terminated : undefined;
      if (isJsonObject(state.waiting) && str(state.waiting.reason) !== '') reason = str(state.waiting.reason);
      else if (terminated !== undefined && str(terminated.reason) !== '') reason = str(terminated.reason);
      else if (terminated !== undefined) reason = num(terminated.signal) !== 0 ? `Signal:${num(terminated.signal)}` : `ExitCode:${num(terminated.exitCode)}`;
      else if (c.ready === true && isJsonObject(state.running)) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = list(status.conditions).some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }
  const deleting = isJsonObject(pod.metadata) && typeof pod.metadata.deletionTimestamp === 'string';
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';
  total = Math.max(total, 0);
  const restartText = lastRestart > 0 ? `${restarts} (${humanDuration(nowMs - lastRestart)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, reason, restarts: restartText };
}

/** kubectl's pod columns: NAME READY STATUS RESTARTS AGE, and IP, NODE, NOMINATED NODE, READINESS GATES when wide. */
export function podPrinter(): TablePrinter {
  return {
    columns: [
      nameColumn(),
      col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
      col('Age', describe.creationTimestamp),
      col('IP', describe.podIP, 1),
      col('Node', describe.nodeName, 1),
      col('Nominated Node', describe.nominatedNodeName, 1),
      col('Readiness Gates', describe.readinessGates, 1),
    ],
    cells(pod, nowMs) {
      const meta = obj(pod.metadata);
      const spec = obj(pod.spec);
      const status = obj(pod.status);
      const { ready, reason, restarts } = podSummary(pod, nowMs);
      const ips = list(status.podIPs).map((p) => str(p.ip)).filter((ip) => ip !== '');
      const ip = ips[0] ?? (str(status.podIP) !== '' ? str(status.podIP) : '<none>');
      const gates = list(spec.readinessGates);
      const gateText = gates.length === 0 ? '<none>'
        : `${gates.filter((g) => list(status.conditions).some((c) => c.type === g.conditionType && c.status === 'True')).length}/${gates.length}`;
      return [str(meta.name), ready, reason, restarts, ageOf(meta.creationTimestamp, nowMs), ip, str(spec.nodeName) || '<none>', str(status.nominatedNodeName) || '<none>', gateText];
    },
    conditions(pod): TableRowCondition[] | undefined {
      const phase = obj(pod.status).phase;
      if (phase === 'Succeeded') return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
      if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
      return undefined;
    },
  };
}
