/**
 * The Go SDK's costs, for the `webapp` example: the measurements of bench/sdk-as.ts with
 * `go_` metric names (module size, resident memory, snapshot size, cold wake, warm reconcile time).
 */
import { webappBenchmark } from './sdk-as.ts';

export default webappBenchmark('go', 'go/main.go');
