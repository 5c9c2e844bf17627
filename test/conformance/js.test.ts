import { buildOperator } from '../../src/build/index.ts';
import { conformanceSuite } from './conformance.case.ts';

const guest = new URL('../../sdk/js/conformance/guest.ts', import.meta.url).pathname;
const manifest = new URL('./guest-manifest.yaml', import.meta.url).pathname;

conformanceSuite('js', async () => (await buildOperator(guest, { lang: 'js', manifest })).wasm);
