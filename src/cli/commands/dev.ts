import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { addHostFlags, hostLogger, kubeRateLimit, maxResidentBytes, shutdownSignal, type HostFlags } from '../host-flags.ts';

interface DevFlags extends HostFlags {
  file: string;
  port: number;
  dataDir?: string;
  kubeconfigOut: string;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number from 0 to 65535');
  return n;
}

/**
 * `wasm-operator dev -f operators.yaml`: the embedded API server and the host in one process;
 * the file's other documents (CRDs, namespaces, resources) are applied first.
 */
export function devCommand(): Command {
  const command = new Command('dev')
    .description('Run operators against an embedded Kubernetes API server, in one process (for development)')
    .option('--port <port>', 'API server port (0 picks a free one)', port, 0)
    .option('--data-dir <dir>', 'keep the API server\'s objects in this directory (default: in memory)')
    .option('--kubeconfig-out <file>', 'where to write the kubeconfig for kubectl', '.wasm-operator/dev/kubeconfig');
  return addHostFlags(command, '.wasm-operator/dev/state', { required: true, description: 'WasmOperator documents to run, and other objects to apply first' }).action(async (flags: DevFlags) => {
    const logger = hostLogger(flags);
    const { startApiServer } = await import('../../apiserver/index.ts');
    const { loadKubeConfig } = await import('../../kube/index.ts');
    const { startLocalHost } = await import('../../control/index.ts');
    const server = await startApiServer({ port: flags.port, ...(flags.dataDir === undefined ? {} : { dataDir: flags.dataDir }) });
    const kubeconfig = path.resolve(flags.kubeconfigOut);
    // the default (.wasm-operator/dev/) does not exist in a fresh project
    await (await import('node:fs/promises')).mkdir(path.dirname(kubeconfig), { recursive: true });
    await server.writeKubeconfig(kubeconfig);
    logger.log('info', 'dev.apiserver', { url: server.url, kubeconfig, try: `kubectl --kubeconfig ${kubeconfig} get all -A` });
    let running: Awaited<ReturnType<typeof startLocalHost>> | undefined;
    try {
      running = await startLocalHost({
        operatorsFile: flags.file,
        restConfig: await loadKubeConfig({ explicitPath: kubeconfig, env: {} }),
        stateDirectory: flags.stateDir,
        logger,
        applyOtherDocuments: true,
        maxResidentBytes: await maxResidentBytes(flags),
        rateLimit: kubeRateLimit(flags),
        snapshotCompression: flags.snapshotCompression,
        ...(flags.statusAddress === 'off' ? {} : { status: flags.statusAddress }),
      });
      process.stderr.write(`\nThe embedded API server is at ${server.url}. Point kubectl at it with:\n  export KUBECONFIG=${kubeconfig}\n\n`);
      await shutdownSignal(logger);
    } finally {
      await running?.stop();
      await server.close();
    }
  });
}
