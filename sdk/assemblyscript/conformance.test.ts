/**
 * The AssemblyScript conformance guest against the ABI harness (the shared cases in
 * test/conformance/guest.case.ts). The conformance suite (test/conformance/) runs the same
 * guest in the real host against the embedded API server.
 */
import { fileURLToPath } from 'node:url';
import { buildOperator } from '../../src/build/index.ts';
import { conformanceGuestCases } from '../../test/conformance/guest.case.ts';

const GUEST = fileURLToPath(new URL('./conformance/assembly/index.ts', import.meta.url));
const MANIFEST = fileURLToPath(new URL('../../test/conformance/guest-manifest.yaml', import.meta.url));

conformanceGuestCases('AssemblyScript', () => buildOperator(GUEST, { manifest: MANIFEST }).then((out) => out.wasm));
