/**
 * A baseline's process: runs ring operators `--from` to `--to` (inclusive) of a ring of
 * `--size` against `--kubeconfig`, prints `ready` once every informer is watching, and stops
 * on SIGTERM. process-per-operator starts one per operator (`--from i --to i`);
 * single-process starts one for all of them.
 *
 * The variants run this file compiled to JavaScript (see compile-baseline.ts), as a
 * TypeScript operator is deployed.
 */
import { parseArgs } from 'node:util';
import { startRingOperators, type InformerMode } from './ring-operator.ts';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    size: { type: 'string' },
    informers: { type: 'string', default: 'per-namespace' },
  },
});
const from = Number(values.from);
const to = Number(values.to);
const size = Number(values.size);
const mode = values.informers as InformerMode;
if (values.kubeconfig === undefined || !(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to && to < size) || !['per-namespace', 'shared'].includes(mode)) {
  process.stderr.write('usage: ring-operators-main --kubeconfig FILE --from I --to J --size N [--informers per-namespace|shared] (0 <= I <= J < N)\n');
  process.exit(2);
}
const indices = Array.from({ length: to - from + 1 }, (_, k) => from + k);
const operators = await startRingOperators(values.kubeconfig, indices, size, mode);
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void operators.stop().finally(() => process.exit(0));
});
