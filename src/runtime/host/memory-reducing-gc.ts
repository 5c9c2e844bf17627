/**
 * V8's most thorough collection, the one it runs before giving up on an allocation: several
 * full collections that also release pooled pages and shrink the young generation, so the
 * memory goes back to the operating system, not only back to V8.
 *
 * Uses `gc` when the process was started with `--expose-gc` (the `wasm-operator` command
 * starts the host so), else turns the flag on and takes `gc` from a fresh context (a one-off
 * cost of about 2 MB for that context).
 */
import v8 from 'node:v8';
import vm from 'node:vm';

type GcFunction = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async'; flavor?: 'regular' | 'last-resort' }) => void;

let gc: GcFunction | undefined;

/** Runs the collection synchronously (it pauses the event loop: tens of milliseconds for a host's heap). */
export function memoryReducingGc(): void {
  if (gc === undefined) {
    const exposed = (globalThis as { gc?: GcFunction }).gc;
    if (exposed !== undefined) gc = exposed;
    else {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as GcFunction;
    }
  }
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
