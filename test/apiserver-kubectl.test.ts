/**
 * The real kubectl against the embedded API server, with nothing special-cased: a kubeconfig
 * file written by the server, default validation (no --validate=false), and a private
 * discovery cache so runs never see each other's API groups.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { gadgetCrdYaml } from './support/gadget-crd.ts';
import { KubeHttp } from './support/kube-http.ts';

const run = promisify(execFile);

const crd = gadgetCrdYaml(`schema:
  openAPIV3Schema:
    type: object
    x-kubernetes-preserve-unknown-fields: true`);

const gadgets = `apiVersion: example.com/v1
kind: Gadget
metadata: {name: g1, labels: {app: web}}
spec: {size: 1}
---
apiVersion: example.com/v1
kind: Gadget
metadata: {name: g2, labels: {app: db}}
spec: {size: 2}
`;

describe('kubectl against the embedded API server', () => {
  let kube: KubeHttp;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  const kubectl = async (...args: string[]): Promise<string> => {
    const { stdout } = await run('kubectl', args, { env, timeout: 30_000 });
    return stdout;
  };
  const kubectlFails = async (...args: string[]): Promise<string> => {
    try {
      await run('kubectl', args, { env, timeout: 30_000 });
    } catch (err) {
      return String((err as { stderr: string }).stderr);
    }
    assert.fail(`kubectl ${args.join(' ')} succeeded`);
  };
  const file = async (name: string, text: string): Promise<string> => {
    const p = path.join(dir, name);
    await writeFile(p, text);
    return p;
  };

  before(async () => {
    kube = await KubeHttp.start();
    dir = await mkdtemp(path.join(os.tmpdir(), 'kubectl-test-'));
    const kubeconfig = path.join(dir, 'kubeconfig');
    await kube.server.writeKubeconfig(kubeconfig);
    env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: path.join(dir, 'cache'), HOME: dir };
    await kubectl('apply', '-f', await file('crd.yaml', crd));
    await kubectl('apply', '-f', await file('gadgets.yaml', gadgets));
  });
  after(async () => {
    await kube.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('apply creates a CRD and custom resources, and get prints them', async () => {
    const table = await kubectl('get', 'gadgets');
    assert.match(table, /^NAME\s+AGE\n/);
    assert.match(table, /\ng1\s+\d+s\n/);
    assert.match(table, /\ng2\s+\d+s\n/);
    const g1 = JSON.parse(await kubectl('get', 'gd', 'g1', '-o', 'json'));
    assert.equal(g1.spec.size, 1);
    assert.equal(await kubectl('get', 'crd', 'gadgets.example.com', '-o', 'jsonpath={.status.conditions[?(@.type=="Established")].status}'), 'True');
    assert.match(await kubectl('apply', '-f', path.join(dir, 'gadgets.yaml')), /gadget.example.com\/g1 unchanged/);
  });

  test('get -l selects by label', async () => {
    assert.equal(await kubectl('get', 'gd', '-l', 'app=web', '-o', 'name'), 'gadget.example.com/g1\n');
    assert.equal(await kubectl('get', 'gd', '-l', 'app notin (web)', '-o', 'name'), 'gadget.example.com/g2\n');
  });

  test('get --watch receives events', async () => {
    const child = spawn('kubectl', ['get', 'gd', '--watch', '--output-watch-events', '-o', 'jsonpath={.type} {.object.metadata.name}{"\\n"}'], { env });
    let out = '';
    const seen = (text: string) => new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${text}" in kubectl output: ${out}`)), 20_000);
      const check = () => {
        if (out.includes(text)) {
          clearTimeout(timer);
          child.stdout.off('data', check);
          resolve();
        }
      };
      child.stdout.on('data', check);
      check();
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    try {
      await seen('ADDED g2');
      await kube.post('/apis/example.com/v1/namespaces/default/gadgets', { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'watched' } });
      await seen('ADDED watched');
      await kube.delete('/apis/example.com/v1/namespaces/default/gadgets/watched');
      await seen('DELETED watched');
    } finally {
      child.kill();
    }
  });

  test('patch --type merge, json and strategic', async () => {
    await kubectl('patch', 'gd', 'g1', '--type', 'merge', '-p', '{"spec":{"size":4}}');
    await kubectl('patch', 'gd', 'g1', '--type', 'json', '-p', '[{"op":"add","path":"/spec/color","value":"red"}]');
    const g1 = JSON.parse(await kubectl('get', 'gd', 'g1', '-o', 'json'));
    assert.deepEqual([g1.spec.size, g1.spec.color, g1.metadata.generation], [4, 'red', 3]);
    assert.match(await kubectlFails('patch', 'gd', 'g1', '--type', 'strategic', '-p', '{"spec":{"size":5}}'), /UnsupportedMediaType|not supported/);
    await kubectl('apply', '-f', await file('deploy.yaml', `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: a, image: nginx}, {name: b, image: redis}]
`));
    await kubectl('patch', 'deployment', 'web', '--type', 'strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"redis:7"}]}}}}');
    const images = await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].image}');
    assert.equal(images, 'nginx redis:7', 'strategic merge patch merges containers by name');
  });

  test('apply --server-side records the manager and reports conflicts', async () => {
    const applied = await file('g3.yaml', 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g3}\nspec: {size: 3}\n');
    assert.match(await kubectl('apply', '--server-side', '-f', applied), /serverside-applied/);
    // Read from the API: kubectl 1.20 has no --show-managed-fields, newer ones hide the field without it.
    const stored = await (await fetch(`${kube.server.url}/apis/example.com/v1/namespaces/default/gadgets/g3`)).json() as { metadata: { managedFields: { manager: string }[] } };
    const managers = stored.metadata.managedFields.map((f) => f.manager).join(' ');
    assert.equal(managers, 'kubectl');
    const other = await file('g3b.yaml', 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g3}\nspec: {size: 9}\n');
    assert.match(await kubectlFails('apply', '--server-side', '--field-manager', 'other', '-f', other), /conflict with "kubectl": \.spec\.size/);
    await kubectl('apply', '--server-side', '--field-manager', 'other', '--force-conflicts', '-f', other);
    assert.equal(await kubectl('get', 'gd', 'g3', '-o', 'jsonpath={.spec.size}'), '9');
  });

  test('delete with a finalizer pending leaves the object terminating until the finalizer goes', async () => {
    await kubectl('apply', '-f', await file('held.yaml', 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: held, finalizers: [example.com/hold]}\n'));
    await kubectl('delete', 'gd', 'held', '--wait=false');
    assert.match(await kubectl('get', 'gd', 'held', '-o', 'jsonpath={.metadata.deletionTimestamp}'), /Z$/);
    await kubectl('patch', 'gd', 'held', '--type', 'merge', '-p', '{"metadata":{"finalizers":null}}');
    assert.match(await kubectlFails('get', 'gd', 'held'), /NotFound.*"held" not found/);
  });

  test('--dry-run=server create, apply and replace answer as if written and change nothing', async () => {
    assert.match(await kubectl('create', 'configmap', 'dry', '--from-literal=a=b', '--dry-run=server'), /configmap\/dry created \(server dry run\)/);
    assert.match(await kubectlFails('get', 'configmap', 'dry'), /NotFound/);
    const cm = await file('dry.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dry}\ndata: {a: b}\n');
    assert.match(await kubectl('apply', '-f', cm, '--dry-run=server'), /configmap\/dry created \(server dry run\)/);
    await kubectl('apply', '-f', cm);
    const changed = await file('dry2.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dry}\ndata: {a: c}\n');
    assert.match(await kubectl('replace', '-f', changed, '--dry-run=server'), /configmap\/dry replaced \(server dry run\)/);
    assert.match(await kubectl('apply', '-f', changed, '--dry-run=server'), /configmap\/dry configured \(server dry run\)/);
    assert.equal(await kubectl('get', 'configmap', 'dry', '-o', 'jsonpath={.data.a}'), 'b');
  });

  test('wait --for=condition and --for=delete follow a custom resource', async () => {
    await kubectl('apply', '-f', await file('waited.yaml', 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: waited, finalizers: [example.com/hold]}\nspec: {size: 1}\n'));
    const ready = kubectl('wait', '--for=condition=Ready', 'gd/waited', '--timeout=20s');
    await new Promise((r) => setTimeout(r, 500));
    const condition = { type: 'Ready', status: 'True', reason: 'Done', message: 'ok', lastTransitionTime: '2024-01-01T00:00:00Z' };
    // Through the API: kubectl 1.20 has no --subresource.
    const patched = await fetch(`${kube.server.url}/apis/example.com/v1/namespaces/default/gadgets/waited/status`, {
      method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: JSON.stringify({ status: { conditions: [condition] } }),
    });
    assert.equal(patched.status, 200);
    assert.match(await ready, /gadget.example.com\/waited condition met/);
    await kubectl('delete', 'gd', 'waited', '--wait=false');
    const gone = kubectl('wait', '--for=delete', 'gd/waited', '--timeout=20s');
    await new Promise((r) => setTimeout(r, 500));
    await kubectl('patch', 'gd', 'waited', '--type', 'merge', '-p', '{"metadata":{"finalizers":null}}');
    assert.match(await gone, /gadget.example.com\/waited condition met/);
  });

  test('delete namespace deletes what it holds', async () => {
    await kubectl('apply', '-f', await file('ns.yaml', `apiVersion: v1
kind: Namespace
metadata: {name: scratch}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: scratch}
data: {k: v}
---
apiVersion: example.com/v1
kind: Gadget
metadata: {name: g, namespace: scratch}
`));
    assert.match(await kubectl('delete', 'namespace', 'scratch', '--timeout=20s'), /namespace "scratch" deleted/);
    assert.match(await kubectlFails('get', 'namespace', 'scratch'), /NotFound/);
    assert.equal(await kubectl('get', 'gd', '-A', '--field-selector', 'metadata.namespace=scratch', '-o', 'name'), '');
  });

  test('imperative create commands (sent as protobuf) work for the common built-in kinds', async () => {
    await kubectl('create', 'namespace', 'imperative');
    await kubectl('create', 'configmap', 'settings', '--from-literal=mode=fast', '-n', 'imperative');
    await kubectl('create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret', '-n', 'imperative');
    await kubectl('create', 'serviceaccount', 'robot', '-n', 'imperative');
    await kubectl('create', 'deployment', 'web', '--image=nginx', '--replicas=2', '-n', 'imperative');
    await kubectl('create', 'service', 'clusterip', 'web', '--tcp=80:8080', '-n', 'imperative');
    await kubectl('run', 'shell', '--image=busybox', '-n', 'imperative', '--', 'sleep', '60');
    assert.equal(await kubectl('get', 'configmap', 'settings', '-n', 'imperative', '-o', 'jsonpath={.data.mode}'), 'fast');
    assert.equal(await kubectl('get', 'secret', 'creds', '-n', 'imperative', '-o', 'jsonpath={.data.password}'), Buffer.from('s3cret').toString('base64'));
    const deployment = JSON.parse(await kubectl('get', 'deployment', 'web', '-n', 'imperative', '-o', 'json'));
    assert.equal(deployment.spec.replicas, 2);
    assert.equal(deployment.spec.template.spec.containers[0].image, 'nginx');
    // Go serializes a template's zero creationTimestamp as null, and kube 1.32 shows it.
    assert.equal(deployment.spec.template.metadata.creationTimestamp, null);
    assert.equal(await kubectl('get', 'service', 'web', '-n', 'imperative', '-o', 'jsonpath={.spec.ports[0].targetPort}'), '8080');
    assert.equal(await kubectl('get', 'pod', 'shell', '-n', 'imperative', '-o', 'jsonpath={.spec.containers[0].args}'), '["sleep","60"]');
    assert.match(await kubectl('scale', 'deployment', 'web', '--replicas=5', '-n', 'imperative'), /deployment.apps\/web scaled/);
    assert.equal(await kubectl('get', 'deployment', 'web', '-n', 'imperative', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}'), '5 2');
  });

  test('errors read as they do against a real cluster', async () => {
    assert.match(await kubectlFails('get', 'configmap', 'missing'), /Error from server \(NotFound\): configmaps "missing" not found/);
    assert.match(await kubectlFails('get', 'gd', '-l', 'a in b'), /unable to parse requirement/);
  });
});
