import { fileURLToPath } from 'node:url';
import { webappEndToEnd } from '../webapp.e2e.case.ts';

const toolsCacheDir = fileURLToPath(new URL('../../../.cache/wasm-operator', import.meta.url));

webappEndToEnd({ sdk: 'js', entry: 'js/operator.ts', options: { lang: 'js', toolsCacheDir } });
