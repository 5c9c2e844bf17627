/**
 * Builds an example operator (cached in .cache/build) and loads it in the ABI harness, for the
 * examples' unit tests. Their end-to-end tests run the same modules in the real host.
 */
import { fileURLToPath } from 'node:url';
import { buildOperator } from '../src/build/index.ts';
import { AbiHarness, type HarnessHandlers } from '../sdk/test/abi-harness.ts';

const built = new Map<string, Promise<Uint8Array>>();

/** Examples written in another language besides AssemblyScript keep it in their own folder (`go/`, `c/`). */
export type ExampleLang = 'as' | 'go' | 'c';

// A C example is one translation unit named after the example (`c/webapp.c`).
const entries: Record<ExampleLang, (name: string) => string> = { as: () => 'assembly/index.ts', go: () => 'go/main.go', c: (name) => `c/${name}.c` };

/** The example's module, built once per test process. */
export function exampleModule(name: string, lang: ExampleLang = 'as'): Promise<Uint8Array> {
  let wasm = built.get(`${name}/${lang}`);
  if (wasm === undefined) {
    wasm = buildOperator(fileURLToPath(new URL(`./${name}/${entries[lang](name)}`, import.meta.url))).then((out) => out.wasm);
    built.set(`${name}/${lang}`, wasm);
  }
  return wasm;
}

/** A fresh instance of the example, already through `wo_init` with `config`. */
export async function exampleGuest(name: string, handlers: HarnessHandlers, config: Record<string, unknown> = {}, lang: ExampleLang = 'as'): Promise<AbiHarness> {
  const guest = await AbiHarness.load(await exampleModule(name, lang), handlers);
  const result = await guest.init({ abiVersion: 1, operator: { name }, config });
  if (JSON.stringify(result) !== '{"kind":"done"}') throw new Error(`init of ${name} answered ${JSON.stringify(result)}`);
  return guest;
}
