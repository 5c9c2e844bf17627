/**
 * What a set of processes costs, read from /proc: proportional set size (PSS, from
 * smaps_rollup: shared pages divided among the processes sharing them, so a sum over
 * processes counts every page once) and CPU time (from stat).
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

// /proc reports CPU time in USER_HZ ticks, which Linux fixes at 100 on the architectures Node runs on.
const userHz = 100;

/** PSS of one process in bytes, or undefined once it has exited. */
export async function readPssBytes(pid: number): Promise<number | undefined> {
  try {
    return parsePssBytes(await readFile(`/proc/${pid}/smaps_rollup`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The `Pss:` line of an smaps_rollup text, in bytes. */
export function parsePssBytes(smapsRollup: string): number {
  const m = /^Pss:\s+(\d+) kB$/m.exec(smapsRollup);
  if (m === null) throw new Error('smaps_rollup has no Pss line');
  return Number(m[1]) * 1024;
}

/** Resident set size (VmRSS of /proc/PID/status): microseconds to read, where smaps_rollup of a Node process takes milliseconds. */
export function readRssBytes(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds of a process and of its children it has waited for; undefined once it has exited. */
export function readCpuSeconds(pid: number): number | undefined {
  try {
    return parseCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** utime + stime + cutime + cstime of a /proc/PID/stat line (fields 14-17), in seconds. */
export function parseCpuSeconds(stat: string): number {
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return ticks / userHz;
}

/** The processes and every descendant of them alive now (from /proc/PID/task/TID/children). */
export async function processTree(roots: readonly number[]): Promise<number[]> {
  const seen = new Set<number>();
  const pending = [...roots];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    if (seen.has(pid)) continue;
    let tasks: string[];
    try {
      tasks = await readdir(`/proc/${pid}/task`);
    } catch {
      continue; // exited
    }
    seen.add(pid);
    for (const tid of tasks) {
      const children = await readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '');
      for (const child of children.split(' ')) if (child.trim() !== '') pending.push(Number(child));
    }
  }
  return [...seen];
}

/** MemAvailable from /proc/meminfo, in bytes. */
export function memAvailableBytes(): number {
  const m = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'));
  return m === null ? Number.POSITIVE_INFINITY : Number(m[1]) * 1024;
}

