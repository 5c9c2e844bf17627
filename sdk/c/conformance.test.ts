import { fileURLToPath } from 'node:url';
import { buildOperator } from '../../src/build/index.ts';
import { conformanceCases } from '../conformance.case.ts';

const GUEST = fileURLToPath(new URL('./conformance/conformance.c', import.meta.url));
const MANIFEST = fileURLToPath(new URL('../../test/conformance/guest-manifest.yaml', import.meta.url));

let wasm: Promise<Uint8Array> | undefined;
conformanceCases('c', () => (wasm ??= buildOperator(GUEST, { manifest: MANIFEST }).then((out) => out.wasm)));
