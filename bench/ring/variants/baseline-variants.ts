/**
 * The baselines: the ring operator in plain TypeScript with @kubernetes/client-node
 * (baseline/ring-operator.ts), compiled to JavaScript, on the project's Node.
 */
import { baselineEntry, compileBaseline } from '../baseline/compile-baseline.ts';
import { readPssBytes } from '../process-metrics.ts';
import { ringSize } from '../ring-protocol.ts';
import { describeProblem, spawnManaged, type ManagedProcess } from './managed-process.ts';
import { MemoryLimitError, type RingVariant, type RunningVariant, type VariantContext } from './ring-variant.ts';

const readyTimeoutMs = 120_000;
const readyLine = /^ready$/m;

/** How the process-per-operator variant starts its processes: `startConcurrency` at a time, each awaited until ready. */
const startConcurrency = 2;
/** After this many processes, their average PSS projects the total and a run that would pass its limit stops. */
const projectAfter = 8;

function startProcess(ctx: VariantContext, from: number, to: number, informers: 'per-namespace' | 'shared'): Promise<ManagedProcess> {
  const args = [baselineEntry(), '--kubeconfig', ctx.kubeconfigPath, '--from', String(from), '--to', String(to), '--size', String(ringSize(ctx.operators)), '--informers', informers];
  return spawnManaged(process.execPath, args, { ready: readyLine, readyTimeoutMs, onSpawn: ctx.track });
}

function running(processes: readonly ManagedProcess[], params: Record<string, unknown>): RunningVariant {
  return {
    params,
    problems: () => processes.flatMap((p) => describeProblem(p, readyLine) ?? []),
    stop: async () => void (await Promise.all(processes.map((p) => p.stop()))),
  };
}

/** N Node.js processes, one operator each with its own informer: one pod per operator, without the pod. */
export const processPerOperator: RingVariant = {
  name: 'process-per-operator',
  description: 'N Node.js processes, each one TypeScript operator with @kubernetes/client-node and its own informer',
  prepare: compileBaseline,
  async start(ctx) {
    const processes: ManagedProcess[] = [];
    const all = running(processes, { informers: 'per-namespace', processes: ctx.operators, language: 'TypeScript compiled to JavaScript', client: '@kubernetes/client-node' });
    let next = 0;
    let failure: { reason: unknown } | undefined;
    // Each worker starts processes one after the other; the first failure stops them all
    // before anything is torn down, so no process is started after the stop.
    const worker = async (): Promise<void> => {
      try {
        while (next < ctx.operators && failure === undefined) {
          if (ctx.signal.aborted) throw ctx.signal.reason;
          const index = next++;
          processes.push(await startProcess(ctx, index, index, 'per-namespace'));
          if (processes.length === projectAfter && ctx.operators > projectAfter) await refuseIfTooBig(processes, ctx);
          if (processes.length % 25 === 0) ctx.log(`${processes.length}/${ctx.operators} operator processes ready`);
        }
      } catch (reason) {
        failure ??= { reason };
      }
    };
    await Promise.all(Array.from({ length: startConcurrency }, worker));
    if (failure !== undefined) {
      await all.stop();
      throw failure.reason;
    }
    return all;
  },
};

async function refuseIfTooBig(processes: readonly ManagedProcess[], ctx: VariantContext): Promise<void> {
  let sum = 0;
  for (const p of processes) sum += (await readPssBytes(p.pid)) ?? 0;
  const projected = (sum / processes.length) * ctx.operators;
  if (projected > ctx.memoryLimitBytes) {
    const gib = (b: number) => (b / 2 ** 30).toFixed(1);
    throw new MemoryLimitError(`process-per-operator at N=${ctx.operators} would need about ${gib(projected)} GiB (${processes.length} processes measured), over the limit of ${gib(ctx.memoryLimitBytes)} GiB`, { operators: ctx.operators, projectedBytes: projected, limitBytes: ctx.memoryLimitBytes });
  }
}

/** One Node.js process running all N operators natively: the prototype's "comb" variant, without isolation or suspension. */
export const singleProcess: RingVariant = {
  name: 'single-process',
  description: 'one Node.js process running all N TypeScript operators, sharing KubeConfig, API client and one cluster-wide informer',
  prepare: compileBaseline,
  async start(ctx) {
    const child = await startProcess(ctx, 0, ctx.operators - 1, 'shared');
    return running([child], { informers: 'shared', processes: 1, language: 'TypeScript compiled to JavaScript', client: '@kubernetes/client-node' });
  },
};
