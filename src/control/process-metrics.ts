/**
 * The host process's own figures for Prometheus, read at scrape time: CPU, resident memory,
 * open files, the V8 heap. Named as Prometheus' client libraries name them (`process_*`,
 * `nodejs_*`), after `prefix`.
 */
import { readdir } from 'node:fs/promises';
import { Counter, Gauge, type Registry } from './metric-registry.ts';

export function collectProcessMetrics(registry: Registry, prefix: string): void {
  const registers = [registry];
  const startSeconds = Math.round(Date.now() / 1000 - process.uptime());
  const cpu = (name: string, help: string, micros: (usage: NodeJS.CpuUsage) => number) =>
    new Counter({
      name: `${prefix}${name}`,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(micros(process.cpuUsage()) / 1e6);
      },
    });
  cpu('process_cpu_user_seconds_total', 'User CPU time spent, in seconds', (u) => u.user);
  cpu('process_cpu_system_seconds_total', 'System CPU time spent, in seconds', (u) => u.system);
  cpu('process_cpu_seconds_total', 'User and system CPU time spent, in seconds', (u) => u.user + u.system);
  new Gauge({ name: `${prefix}process_start_time_seconds`, help: 'Start time of the process since the Unix epoch, in seconds', registers, collect() { this.set(startSeconds); } });
  new Gauge({ name: `${prefix}process_resident_memory_bytes`, help: 'Resident memory size, in bytes', registers, collect() { this.set(process.memoryUsage.rss()); } });
  new Gauge({
    name: `${prefix}process_open_fds`,
    help: 'Open file descriptors',
    registers,
    async collect() {
      // Only Linux has /proc; elsewhere the gauge is left out rather than reported wrong.
      const fds = await readdir('/proc/self/fd').catch(() => undefined);
      if (fds !== undefined) this.set(fds.length);
    },
  });
  const heap = (name: string, help: string, read: (m: NodeJS.MemoryUsage) => number) =>
    new Gauge({ name: `${prefix}${name}`, help, registers, collect() { this.set(read(process.memoryUsage())); } });
  heap('nodejs_heap_size_total_bytes', 'V8 heap size, in bytes', (m) => m.heapTotal);
  heap('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes', (m) => m.heapUsed);
  heap('nodejs_external_memory_bytes', 'Memory of objects outside the V8 heap (buffers, wasm memories), in bytes', (m) => m.external);
  new Gauge({ name: `${prefix}nodejs_version_info`, help: 'Node.js version', labelNames: ['version'], registers }).set({ version: process.version }, 1);
}
