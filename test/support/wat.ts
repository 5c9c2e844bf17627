/** Test support: WebAssembly text to binary (and back) with wabt, for hand-made test modules. */
import createWabt from 'wabt';

type Wabt = Awaited<ReturnType<typeof createWabt>>;
let wabt: Promise<Wabt> | undefined;

const features = { exceptions: true, simd: true, tail_call: true, bulk_memory: true, reference_types: true, multi_value: true, sign_extension: true, sat_float_to_int: true };

/**
 * Assembles a module from its text form, by default keeping debug names (so the name section
 * is exercised too).
 */
export async function wat(text: string, options: { names?: boolean } = {}): Promise<Uint8Array> {
  wabt ??= createWabt();
  const module = (await wabt).parseWat('test.wat', text, features);
  try {
    return module.toBinary({ write_debug_names: options.names ?? true }).buffer;
  } finally {
    module.destroy();
  }
}

/** Disassembles a module, for tests that look at what the rewriter produced. */
export async function wasmText(bytes: Uint8Array): Promise<string> {
  wabt ??= createWabt();
  const module = (await wabt).readWasm(bytes, { readDebugNames: true, ...features });
  try {
    return module.toText({ foldExprs: false, inlineExport: false });
  } finally {
    module.destroy();
  }
}
