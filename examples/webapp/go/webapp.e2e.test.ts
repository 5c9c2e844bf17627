import { webappEndToEnd } from '../webapp.e2e.case.ts';

// The Go runtime's heap needs more room than the default memory limit.
webappEndToEnd({ sdk: 'go', entry: 'go/main.go', memoryLimit: '64Mi' });
