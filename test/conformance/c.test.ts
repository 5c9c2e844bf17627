import { buildOperator } from '../../src/build/index.ts';
import { conformanceSuite } from './conformance.case.ts';

const guest = new URL('../../sdk/c/conformance/conformance.c', import.meta.url).pathname;
const manifest = new URL('./guest-manifest.yaml', import.meta.url).pathname;

conformanceSuite('c', async () => (await buildOperator(guest, { manifest })).wasm);
