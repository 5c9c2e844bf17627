/** The line under a generated table that says where and how its figures were measured. */
import type { BenchReport } from '../benchmark.ts';

/**
 * `Measured at commit … on … , Node …[, with --quick][; load average …].` The load is the
 * report's `params.loadAverage` (os.loadavg()) or `params.loadavg_1m`; `loadNote` follows it
 * (e.g. "at the end").
 */
export function measuredAt(report: BenchReport, loadNote = ''): string {
  const load = report.params.loadAverage ?? report.params.loadavg_1m;
  const loadText = Array.isArray(load) ? load.map((l) => Number(l).toFixed(1)).join(', ') : typeof load === 'number' ? load.toFixed(1) : undefined;
  return `Measured at commit \`${report.commit.slice(0, 10)}\` on ${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.node}` +
    `${report.params.quick === true ? ', with --quick' : ''}${loadText === undefined ? '' : `; load average ${loadText}${loadNote === '' ? '' : ` ${loadNote}`}`}.`;
}
