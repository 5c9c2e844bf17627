import { Command, InvalidArgumentError } from 'commander';
import { UsageError } from '../../errors.ts';

interface ApiserverFlags {
  host: string;
  port: number;
  dataDir?: string;
  inMemory?: boolean;
  kubeconfigOut?: string;
  tls?: boolean;
  token?: string;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be a port number from 0 to 65535');
  return port;
}

/** `wasm-operator apiserver`: runs the embedded Kubernetes API server until SIGINT or SIGTERM. */
export function apiserverCommand(): Command {
  return new Command('apiserver')
    .description('Run an embedded Kubernetes API server (for development, tests and demos; see docs/apiserver.md)')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', parsePort, 8080)
    .option('--data-dir <dir>', 'keep objects durably in this directory (SQLite)')
    .option('--in-memory', 'keep everything in memory (the default when --data-dir is not given)')
    .option('--kubeconfig-out <file>', 'write a kubeconfig for this server to the file')
    .option('--tls', 'serve HTTPS with a generated self-signed certificate')
    .option('--token <token>', 'require this bearer token')
    .action(async (flags: ApiserverFlags) => {
      if (flags.dataDir !== undefined && flags.inMemory === true) throw new UsageError('--data-dir and --in-memory exclude each other; pick one');
      const { startApiServer } = await import('../../apiserver/index.ts');
      const server = await startApiServer({ host: flags.host, port: flags.port, dataDir: flags.dataDir, tls: flags.tls === true, token: flags.token });
      if (flags.kubeconfigOut !== undefined) await server.writeKubeconfig(flags.kubeconfigOut);
      const storage = flags.dataDir === undefined ? 'in memory' : `in ${flags.dataDir}`;
      process.stderr.write(`wasm-operator apiserver listening on ${server.url} (objects ${storage})\n`);
      if (flags.kubeconfigOut !== undefined) process.stderr.write(`kubeconfig written to ${flags.kubeconfigOut}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
    });
}
