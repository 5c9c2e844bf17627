/**
 * The same core kubectl session against the embedded API server with every kubectl version
 * this machine has: Google Cloud SDK's `kubectl.1.N` binaries, and a `kubectl` on PATH that
 * is a plain release (Debian's kubernetes-client is 1.20). Older clients take other paths
 * through the server (legacy discovery, OpenAPI v2 in protobuf, client-side apply with the
 * last-applied annotation, strategic merge patches from compiled-in types), so each version
 * is a test of its own. A version whose binary is absent is reported as skipped by name.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { startApiServer } from '../src/apiserver/index.ts';
import { gadgetCrdYaml } from './support/gadget-crd.ts';

const run = promisify(execFile);
const minors = [20, 27, 28, 29, 30, 31, 32, 33];
const sdkDir = '/usr/lib/google-cloud-sdk/bin';

// A `kubectl` on PATH that is a plain release (not a dispatcher that picks one by server version).
function pathKubectl(): { minor: number; bin: string } | undefined {
  const r = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const info = (JSON.parse(r.stdout) as { clientVersion?: { minor?: string; gitVersion?: string } }).clientVersion;
  if (info?.minor === undefined || (info.gitVersion ?? '').includes('dispatcher')) return undefined;
  return { minor: Number.parseInt(info.minor, 10), bin: 'kubectl' };
}

function binaryFor(minor: number): string | undefined {
  const sdk = path.join(sdkDir, `kubectl.1.${minor}`);
  if (existsSync(sdk)) return sdk;
  const onPath = pathKubectl();
  return onPath?.minor === minor ? onPath.bin : undefined;
}

const crd = gadgetCrdYaml(`additionalPrinterColumns: [{name: Size, type: integer, jsonPath: .spec.size}]
schema:
  openAPIV3Schema:
    type: object
    properties:
      spec:
        type: object
        properties:
          size: {type: integer, minimum: 1}
          note: {type: string, nullable: true}`);

const deployment = (value: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: "nginx:1.27", env: [{name: A, value: "${value}"}]}
      - {name: side, image: "busybox:1.36"}
`;

async function session(bin: string, minor: number): Promise<void> {
  const server = await startApiServer({ port: 0 });
  const dir = await mkdtemp(path.join(os.tmpdir(), `kubectl-1.${minor}-`));
  const kubeconfig = path.join(dir, 'kubeconfig');
  await server.writeKubeconfig(kubeconfig);
  const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir, KUBECACHEDIR: path.join(dir, 'cache') };
  const kubectl = async (args: string[], stdin?: string): Promise<string> => {
    const file = stdin === undefined ? undefined : path.join(dir, `in-${Math.random().toString(36).slice(2)}.yaml`);
    if (file !== undefined) await writeFile(file, stdin!);
    const full = file === undefined ? args : args.map((a) => (a === '-' ? file : a));
    try {
      return (await run(bin, full, { env, timeout: 30_000 })).stdout;
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string };
      throw new Error(`kubectl 1.${minor} ${args.join(' ')} failed: ${e.stderr ?? ''}${e.stdout ?? ''}`, { cause: err });
    }
  };
  try {
    assert.match(await kubectl(['apply', '-f', '-'], crd), /customresourcedefinition.apiextensions.k8s.io\/gadgets.example.com created/);
    await server.settled();
    assert.match(await kubectl(['apply', '-f', '-'], 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1}\nspec: {size: 2}\n'), /gadget.example.com\/g1 created/);
    assert.match(await kubectl(['get', 'gd']), /^NAME\s+SIZE\ng1\s+2\n$/);
    assert.match(await kubectl(['explain', 'gadget.spec']), /Gadget/);

    // Client-side apply: the last-applied annotation, then a three-way strategic merge patch
    // that changes one container's env and keeps both containers.
    assert.match(await kubectl(['apply', '-f', '-'], deployment('1')), /deployment.apps\/web created/);
    assert.match(await kubectl(['apply', '-f', '-'], deployment('2')), /deployment.apps\/web configured/);
    const applied = await kubectl(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].name} {.spec.template.spec.containers[0].env[0].value} {.spec.replicas}']);
    assert.equal(applied, 'web side 2 1');
    assert.match(await kubectl(['get', 'deployment', 'web', '-o', 'jsonpath={.metadata.annotations}']), /kubectl.kubernetes.io\/last-applied-configuration/);

    assert.match(await kubectl(['patch', 'deployment', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox:1.37"}]}}}}']), /patched/);
    assert.equal(await kubectl(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].image}']), 'nginx:1.27 busybox:1.37');
    assert.match(await kubectl(['apply', '--server-side', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: fast}\n'), /configmap\/settings serverside-applied/);
    assert.match(await kubectl(['get', 'all']), /service\/kubernetes/);
    // A Service applied again (client-side apply keeps the allocated cluster IP and node port) and turned into a ClusterIP one.
    const service = (type: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: ${type}, selector: {app: web}, ports: [{name: http, port: 80}]}\n`;
    assert.match(await kubectl(['apply', '-f', '-'], service('NodePort')), /service\/web created/);
    assert.match(await kubectl(['apply', '-f', '-'], service('ClusterIP')), /service\/web configured/);
    assert.match(await kubectl(['get', 'service', 'web', '-o', 'jsonpath={.spec.type} {.spec.ports[0].nodePort}{.spec.clusterIP}']), /^ClusterIP 10\.\d+\.\d+\.\d+$/);
    if (minor >= 25) {
      // From 1.25 kubectl leaves field validation to a server that says it validates.
      await assert.rejects(kubectl(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\nbogus: 1\n'), /unknown field "bogus"/);
    }
    assert.match(await kubectl(['delete', 'deployment', 'web']), /deployment.apps "web" deleted/);
    assert.match(await kubectl(['delete', 'gd', 'g1']), /gadget.example.com "g1" deleted/);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

for (const minor of minors) {
  const bin = binaryFor(minor);
  const name = bin === undefined ? `kubectl 1.${minor}: not installed here, skipped` : `kubectl 1.${minor} (${bin}): apply, get, explain, patch and delete work`;
  test(name, { skip: bin === undefined ? `no kubectl 1.${minor} binary on this machine` : false }, () => session(bin!, minor));
}
