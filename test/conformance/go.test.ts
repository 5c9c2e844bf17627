import { buildOperator } from '../../src/build/index.ts';
import { conformanceSuite } from './conformance.case.ts';

const guest = new URL('../../sdk/go/conformance/main.go', import.meta.url).pathname;
const manifest = new URL('./guest-manifest.yaml', import.meta.url).pathname;

// The Go runtime's heap needs more room than the other SDKs' guests.
conformanceSuite('go', async () => (await buildOperator(guest, { manifest })).wasm, { memoryLimit: '64Mi' });
