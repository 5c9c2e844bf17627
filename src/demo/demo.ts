/**
 * `wasm-operator demo` (`npm start`): the product in two minutes, on the embedded API server.
 * It builds the webapp example operator, runs it in a host that suspends it whenever it is
 * idle, and walks through what a user would do: create a WebApp, change it, break what the
 * operator owns, and watch the operator wake from disk each time.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { startApiServer } from '../apiserver/index.ts';
import { buildOperator } from '../build/index.ts';
import { applyDocuments } from '../control/index.ts';
import { KubeClient, RestMapper, loadKubeConfig } from '../kube/index.ts';
import { createLogger, type Logger } from '../log/index.ts';
import { projectPath } from '../project-path.ts';
import { Host, type OperatorReport } from '../runtime/index.ts';

export interface DemoOptions {
  /** Stop after the tour instead of waiting for Ctrl-C with kubectl instructions. */
  exitAfterTour: boolean;
  /** Where the tour's narration goes (stdout). */
  say: (text: string) => void;
  /** Host logs (stderr); quiet unless asked. */
  verbose: boolean;
  /** Resolves when the user wants to stop (SIGINT/SIGTERM). */
  untilStopped: () => Promise<unknown>;
}

const webapps = '/apis/example.com/v1/namespaces/demo/webapps';
const deployment = '/apis/apps/v1/namespaces/demo/deployments/hello';

export async function runDemo(options: DemoOptions): Promise<void> {
  const { say } = options;
  const work = await mkdtemp(path.join(tmpdir(), 'wasm-operator-demo-'));
  const logger: Logger = createLogger({ format: 'text', level: options.verbose ? 'debug' : 'warn', write: (line) => process.stderr.write(line) });
  say('wasm-operator demo: one operator, compiled to WebAssembly, asleep on disk whenever it is idle.\n');

  say('1. Building the webapp example operator (AssemblyScript) ...');
  const entry = projectPath('examples', 'webapp', 'assembly', 'index.ts');
  const built = await buildOperator(entry, { cacheDir: projectPath('.cache', 'build') });
  const wasmFile = path.join(work, 'webapp.wasm');
  await writeFile(wasmFile, built.wasm);
  say(`   ${path.relative(process.cwd(), entry)} -> webapp.wasm, ${kib(built.sizeBytes)}, ${built.digest.slice(0, 19)}...\n`);

  say('2. Starting the embedded Kubernetes API server and the host ...');
  const server = await startApiServer({ port: 0 });
  const kubeconfig = path.join(work, 'kubeconfig');
  await server.writeKubeconfig(kubeconfig);
  const kube = new KubeClient(await loadKubeConfig({ explicitPath: kubeconfig, env: {} }), { logger });
  const host = await Host.create({ kube, stateDirectory: path.join(work, 'state'), logger });
  try {
    const crd = await readFile(projectPath('examples', 'webapp', 'crd.yaml'), 'utf8');
    await applyDocuments([parse(crd), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } }], kube, new RestMapper(kube), logger);
    await host.apply(
      {
        apiVersion: 'wasm-operator.dev/v1alpha1',
        kind: 'WasmOperator',
        metadata: { name: 'webapp', namespace: 'default' },
        spec: { module: { file: wasmFile }, idlePolicy: 'immediate' },
      },
      { baseDir: work },
    );
    await host.settled();
    say(`   API server ${server.url}; operator loaded, initialised and ${describe(report(host))}\n`);

    say('3. kubectl apply: a WebApp "hello" (nginx:1.27, 2 replicas)');
    await kube.call({ method: 'POST', path: webapps, body: { apiVersion: 'example.com/v1', kind: 'WebApp', metadata: { name: 'hello' }, spec: { image: 'nginx:1.27', replicas: 2 } } });
    const first = await waitFor(kube, deployment, (d: Deployment) => d.spec?.replicas === 2);
    await host.settled();
    say(`   the operator woke, created Deployment "hello" (${first.spec?.replicas} replicas of ${image(first)}) and Service "hello", and went back to sleep: ${describe(report(host))}\n`);

    say('4. kubectl patch: scale the WebApp to 5 replicas');
    await kube.call({ method: 'PATCH', path: `${webapps}/hello`, body: { spec: { replicas: 5 } }, contentType: 'application/merge-patch+json' });
    await waitFor(kube, deployment, (d: Deployment) => d.spec?.replicas === 5);
    await host.settled();
    say(`   restored from its snapshot, it scaled the Deployment to 5: ${describe(report(host))}\n`);

    say('5. Someone deletes the Deployment the operator owns');
    await kube.call({ method: 'DELETE', path: deployment });
    const recreated = await waitFor(kube, deployment, (d: Deployment) => d.metadata?.deletionTimestamp === undefined && d.spec?.replicas === 5);
    await host.settled();
    say(`   the change to an owned object woke it, and it recreated the Deployment (uid ${recreated.metadata?.uid?.slice(0, 8)}...): ${describe(report(host))}\n`);

    const final = report(host);
    say(`Summary: ${final.wakeUps} wake-ups, ${final.reconciles} reconciles, ${final.failures} failures; resident memory ${kib(final.residentBytes)} (asleep), snapshot on disk ${kib(final.snapshotBytes)}.`);
    if (!options.exitAfterTour) {
      say(`\nThe API server and the operator keep running. In another terminal:\n  export KUBECONFIG=${kubeconfig}\n  kubectl get webapps,deployments,services -n demo\n  kubectl patch webapp hello -n demo --type merge -p '{"spec":{"replicas":1}}'\nPress Ctrl-C to stop.`);
      await options.untilStopped();
    }
  } finally {
    await host.stop();
    kube.close();
    await server.close();
    await rm(work, { recursive: true, force: true });
  }
}

interface Deployment {
  metadata?: { uid?: string; deletionTimestamp?: string };
  spec?: { replicas?: number; template?: { spec?: { containers?: Array<{ image?: string }> } } };
}

function image(d: Deployment): string {
  return d.spec?.template?.spec?.containers?.[0]?.image ?? '?';
}

function report(host: Host): OperatorReport {
  const found = host.operators()[0];
  if (found === undefined) throw new Error(`the webapp operator is not running: ${JSON.stringify(host.problems())}`);
  return found;
}

function describe(r: OperatorReport): string {
  return `phase ${r.phase}, ${r.wakeUps} wake-up(s), snapshot ${kib(r.snapshotBytes)}`;
}

async function waitFor<T>(kube: KubeClient, apiPath: string, ready: (body: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await kube.request({ method: 'GET', path: apiPath });
    if (response.ok && ready(response.body as T)) return response.body as T;
    if (Date.now() > deadline) throw new Error(`the demo waited ${timeoutMs / 1000} s for ${apiPath} in vain; last answer ${response.status}: ${response.text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
