import { fileURLToPath } from 'node:url';
import { buildOperator } from '../../src/build/index.ts';
import { conformanceCases } from '../conformance.case.ts';

const GUEST = fileURLToPath(new URL('./conformance/guest.ts', import.meta.url));
const MANIFEST = fileURLToPath(new URL('../../test/conformance/guest-manifest.yaml', import.meta.url));
const toolsCacheDir = fileURLToPath(new URL('../../.cache/wasm-operator', import.meta.url));

let wasm: Promise<Uint8Array> | undefined;
conformanceCases('js', () => (wasm ??= buildOperator(GUEST, { lang: 'js', manifest: MANIFEST, cacheDir: null, toolsCacheDir }).then((out) => out.wasm)));
