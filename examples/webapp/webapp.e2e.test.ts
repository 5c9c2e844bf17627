import { webappEndToEnd } from './webapp.e2e.case.ts';

webappEndToEnd({ sdk: 'assemblyscript', entry: 'assembly/index.ts' });
