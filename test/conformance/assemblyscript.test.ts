import { buildOperator } from '../../src/build/index.ts';
import { conformanceSuite } from './conformance.case.ts';

const guest = new URL('../../sdk/assemblyscript/conformance/assembly/index.ts', import.meta.url).pathname;
const manifest = new URL('./guest-manifest.yaml', import.meta.url).pathname;

conformanceSuite('assemblyscript', async () => (await buildOperator(guest, { manifest })).wasm);
