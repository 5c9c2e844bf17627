/**
 * Builds an example operator (cached in .cache/build) and loads it in the ABI harness, for the
 * examples' unit tests. Their end-to-end tests run the same modules in the real host.
 */
import { fileURLToPath } from 'node:url';
import { buildOperator } from '../src/build/index.ts';
import { AbiHarness, type HarnessHandlers } from '../sdk/test/abi-harness.ts';

const built = new Map<string, Promise<Uint8Array>>();

/** The example's module, built once per test process. */
export function exampleModule(name: string): Promise<Uint8Array> {
  let wasm = built.get(name);
  if (wasm === undefined) {
    wasm = buildOperator(fileURLToPath(new URL(`./${name}/assembly/index.ts`, import.meta.url))).then((out) => out.wasm);
    built.set(name, wasm);
  }
  return wasm;
}

/** A fresh instance of the example, already through `wo_init` with `config`. */
export async function exampleGuest(name: string, handlers: HarnessHandlers, config: Record<string, unknown> = {}): Promise<AbiHarness> {
  const guest = await AbiHarness.load(await exampleModule(name), handlers);
  const result = await guest.init({ abiVersion: 1, operator: { name }, config });
  if (JSON.stringify(result) !== '{"kind":"done"}') throw new Error(`init of ${name} answered ${JSON.stringify(result)}`);
  return guest;
}
