import { fileURLToPath } from 'node:url';
import { buildOperator } from '../../src/build/index.ts';
import { conformanceCases } from '../conformance.case.ts';

const GUEST = fileURLToPath(new URL('./conformance/assembly/index.ts', import.meta.url));
const MANIFEST = fileURLToPath(new URL('../../test/conformance/guest-manifest.yaml', import.meta.url));

let wasm: Promise<Uint8Array> | undefined;
conformanceCases('assemblyscript', () => (wasm ??= buildOperator(GUEST, { manifest: MANIFEST }).then((out) => out.wasm)));
