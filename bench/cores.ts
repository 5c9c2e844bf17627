/**
 * `wasm-operator bench cores`: throughput of the runtime's pure cores on the path of every
 * event (router, work queue) and every guest API call (permission check), to show they are
 * never what limits reconciles per second.
 */
import { isAllowed, parseApiRequest, type PolicyRule } from '../src/abi/index.ts';
import { ManualClock } from '../src/runtime/clock.ts';
import { WorkQueue } from '../src/runtime/queue/index.ts';
import { requestKey, type ReconcileRequest } from '../src/runtime/reconcile-request.ts';
import { EventRouter, type RoutedEvent } from '../src/runtime/router/index.ts';
import type { Benchmark, BenchContext } from './benchmark.ts';

/** Operations per second of `op`, run `count` times, best of `rounds` (the least disturbed round). */
function rate(rounds: number, count: number, op: (i: number) => void): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < count; i++) op(i);
    best = Math.min(best, performance.now() - start);
  }
  return Math.round((count / best) * 1_000);
}

const benchmark: Benchmark = {
  async run(ctx: BenchContext) {
    const rounds = ctx.quick ? 3 : 10;
    const keys = 10_000;
    const refs: ReconcileRequest[] = Array.from({ length: keys }, (_, i) => ({ apiVersion: 'example.com/v1', kind: 'Website', namespace: `ns-${i % 50}`, name: `object-${i}` }));

    ctx.log(`work queue: ${keys} keys, add + take + complete`);
    const clock = new ManualClock();
    const queue = new WorkQueue({ clock, keyOf: requestKey });
    const cycle = rate(rounds, keys, (i) => {
      queue.add(refs[i]!);
      const ref = queue.take()!;
      queue.complete(ref, { kind: 'done' });
    });
    ctx.log('work queue: adds of keys already queued (deduplicated)');
    for (const ref of refs) queue.add(ref);
    const dedup = rate(rounds, keys, (i) => queue.add(refs[i]!));
    ctx.log('work queue: take from a queue of 10000 keys due at different times');
    const timed = new WorkQueue({ clock, keyOf: requestKey });
    const take = rate(rounds, keys, (i) => {
      timed.addAfter(refs[(i * 7_919) % keys]!, i % 1_000);
      if (i % 2 === 1) {
        clock.advance(1);
        const ref = timed.take();
        if (ref !== undefined) timed.done(ref);
      }
    });

    ctx.log('event router: owned children with a label-selected primary');
    const router = new EventRouter({
      watches: [{ apiVersion: 'example.com/v1', kind: 'Website', labelSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'edge'] }] } }],
      owns: [{ apiVersion: 'v1', kind: 'ConfigMap' }],
    });
    const events: RoutedEvent[] = refs.map((ref, i) => ({
      apiVersion: i % 2 === 0 ? 'example.com/v1' : 'v1',
      kind: i % 2 === 0 ? 'Website' : 'ConfigMap',
      object: { metadata: { namespace: ref.namespace, name: ref.name, labels: { tier: 'web' }, ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Website', name: 'site', controller: true }] } },
    }));
    const routed = rate(rounds, keys, (i) => router.route(events[i]!));

    ctx.log('permissions: parse an API call and check it against 10 rules');
    const rules: PolicyRule[] = Array.from({ length: 10 }, (_, i) => ({ apiGroups: [`g${i}.example.com`], resources: ['things', 'things/status'], verbs: ['get', 'list'] }));
    rules.push({ apiGroups: [''], resources: ['configmaps'], verbs: ['*'], namespaces: ['default'] });
    const checks = rate(rounds, keys, (i) => isAllowed(rules, parseApiRequest('PATCH', `/api/v1/namespaces/default/configmaps/object-${i}`)));

    return {
      params: { keys, rounds },
      metrics: {
        queue_add_take_complete_per_s: cycle,
        queue_dedup_add_per_s: dedup,
        queue_timed_add_take_per_s: take,
        router_events_per_s: routed,
        permission_checks_per_s: checks,
      },
    };
  },
};

export default benchmark;
