import { ringEndToEnd } from './ring.e2e.case.ts';

ringEndToEnd({ sdk: 'assemblyscript', entry: 'assembly/index.ts' });
