/**
 * The ring's API server: the embedded one, started in its own process exactly as a user starts
 * it (`wasm-operator apiserver --in-memory`), the same for every variant, with the request
 * counter preloaded (request-counter.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { startApiServerProcess as startServer, type ApiServerProcess as Server } from '../api-server-process.ts';
import { projectPath } from '../../src/project-path.ts';
import type { RequestCounters } from './request-counter.ts';

/** The User-Agent whose requests the server does not count: the driver's. */
export const uncountedAgent = 'wasm-operator-bench-ring-driver';

export interface ApiServerProcess extends Server {
  counters(): Promise<RequestCounters>;
}

export async function startApiServerProcess(kubeconfigPath: string): Promise<ApiServerProcess> {
  const server = await startServer(kubeconfigPath, {
    nodeArgs: ['--import', projectPath('bench', 'ring', 'request-counter.ts')],
    env: { ...process.env, RING_BENCH_UNCOUNTED_AGENT: uncountedAgent },
    ipc: true,
  });
  return { ...server, counters: () => askCounters(server.child) };
}

function askCounters(child: ChildProcess): Promise<RequestCounters> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      const counters = (message as { counters?: RequestCounters } | null)?.counters;
      if (counters === undefined) return;
      child.off('message', onMessage);
      resolve(counters);
    };
    child.on('message', onMessage);
    if (!child.send('counters')) reject(new Error('the API server process has no IPC channel'));
  });
}
