import { ringEndToEnd } from '../ring.e2e.case.ts';

// The Go runtime's heap needs more room than the default memory limit.
ringEndToEnd({ sdk: 'go', entry: 'go/main.go', memoryLimit: '64Mi' });
