/**
 * The two ABI calls the host makes into a guest, `wo_init` and `wo_reconcile`, each one
 * payload in and one result out (docs/abi.md), plus the exports and imports the host checks
 * at load time.
 */
import { WasmOperatorError } from '../errors.ts';
import type { ExportSpec, ImportSpec, WasmInstance } from '../wasm/index.ts';
import { abiModule, abiVersion, type AbiSession } from './abi-session.ts';
import type { GuestResult } from './payloads.ts';

/** What every ABI v1 guest must export, with signatures; checked when the module loads. */
export const requiredExports: readonly ExportSpec[] = [
  { name: 'wo_abi_version', params: [], results: ['i32'] },
  { name: 'wo_alloc', params: ['i32'], results: ['i32'] },
  { name: 'wo_init', params: ['i32', 'i32'], results: [] },
  { name: 'wo_reconcile', params: ['i32', 'i32'], results: [] },
];

/** The `wasm_operator` imports the host provides, with signatures. */
export const providedImports: readonly ImportSpec[] = [
  { module: abiModule, name: 'kube_request', params: ['i32', 'i32'], results: ['i32'] },
  { module: abiModule, name: 'cache_get', params: ['i32', 'i32'], results: ['i32'] },
  { module: abiModule, name: 'cache_list', params: ['i32', 'i32'], results: ['i32'] },
  { module: abiModule, name: 'response_read', params: ['i32', 'i32'], results: ['i32'] },
  { module: abiModule, name: 'set_result', params: ['i32', 'i32'], results: [] },
  { module: abiModule, name: 'log', params: ['i32', 'i32'], results: [] },
];

/** The guest broke the ABI outside any import (wrong version, no memory for a payload). */
export class GuestContractError extends WasmOperatorError {
  constructor(operator: string, problem: string) {
    super('GUEST_CONTRACT', `operator "${operator}" ${problem}; its instance was stopped`, { operator });
  }
}

/** Checks that the guest speaks the host's ABI version. */
export async function checkAbiVersion(instance: WasmInstance, timeoutMs: number): Promise<void> {
  const version = await instance.call('wo_abi_version', [], { timeoutMs });
  if (version !== abiVersion) {
    throw new GuestContractError(instance.operator, `speaks operator ABI version ${String(version)}, but this host speaks version ${abiVersion}`);
  }
}

/**
 * Calls `exportName(ptr, len)` with `payload` placed in a buffer from `wo_alloc`, and returns
 * what the guest passed to `set_result` (`done` if nothing). Guest failures throw GuestError.
 */
export async function callWithPayload(
  instance: WasmInstance,
  session: AbiSession,
  exportName: 'wo_init' | 'wo_reconcile',
  payload: unknown,
  timeoutMs: number,
): Promise<GuestResult> {
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  session.beginCall();
  try {
    const ptr = await instance.call('wo_alloc', [bytes.length], { timeoutMs });
    if (typeof ptr !== 'number' || ptr === 0) throw new GuestContractError(instance.operator, `could not allocate ${bytes.length} bytes for its ${exportName} payload (wo_alloc returned ${String(ptr)})`);
    instance.writeBytes(ptr >>> 0, bytes);
    await instance.call(exportName, [ptr, bytes.length], { timeoutMs });
  } catch (err) {
    session.endCall();
    throw err;
  }
  return session.endCall();
}
