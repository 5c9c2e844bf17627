import { fileURLToPath } from 'node:url';
import { ringEndToEnd } from '../ring.e2e.case.ts';

const toolsCacheDir = fileURLToPath(new URL('../../../.cache/wasm-operator', import.meta.url));

ringEndToEnd({ sdk: 'js', entry: 'js/operator.ts', options: { lang: 'js', toolsCacheDir } });
