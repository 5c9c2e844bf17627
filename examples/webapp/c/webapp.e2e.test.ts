import { webappEndToEnd } from '../webapp.e2e.case.ts';

webappEndToEnd({ sdk: 'c', entry: 'c/webapp.c' });
