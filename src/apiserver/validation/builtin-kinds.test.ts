import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldErrors } from '../field-error.ts';
import type { JsonObject } from '../json.ts';
import { validateBuiltin } from './builtin-kinds.ts';

const core = (resource: string) => ({ group: '', resource });
const meta = (name: string, extra: JsonObject = {}): JsonObject => ({ name, namespace: 'default', ...extra });
const check = (resource: { group: string; resource: string }, o: JsonObject, old?: JsonObject) => formatFieldErrors(validateBuiltin(resource, o, old));

test('names follow the kind rule, with kube wording', () => {
  assert.equal(
    check(core('configmaps'), { metadata: meta('Bad_Name') }),
    "metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  );
  assert.equal(
    check(core('namespaces'), { metadata: { name: 'a.b' } }),
    "metadata.name: Invalid value: \"a.b\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  );
  assert.match(check(core('services'), { metadata: meta('1web'), spec: { ports: [{ port: 80 }] } }), /^metadata\.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character/);
  assert.equal(check(core('configmaps'), { metadata: meta('x'.repeat(254)) }), `metadata.name: Invalid value: "${'x'.repeat(254)}": must be no more than 253 characters`);
});

test('a missing name, a missing namespace and a namespace on a cluster-scoped kind are refused', () => {
  assert.equal(check(core('configmaps'), { metadata: { namespace: 'default' } }), 'metadata.name: Required value: name or generateName is required');
  assert.equal(check(core('configmaps'), { metadata: { name: 'c' } }), 'metadata.namespace: Required value');
  assert.equal(check(core('namespaces'), { metadata: { name: 'n', namespace: 'x' } }), 'metadata.namespace: Forbidden: not allowed on this type');
});

test('generateName is checked as a prefix, so a trailing dash is fine', () => {
  assert.equal(check(core('configmaps'), { metadata: meta('web-abcde', { generateName: 'web-' }) }), '');
  assert.match(check(core('configmaps'), { metadata: meta('x', { generateName: 'Web-' }) }), /^metadata\.generateName: Invalid value: "Web-": a lowercase RFC 1123 subdomain/);
});

test('label keys and values, and annotation sizes are checked', () => {
  assert.match(check(core('configmaps'), { metadata: meta('c', { labels: { 'bad key': 'x' } }) }), /^metadata\.labels: Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '\.'/);
  assert.match(check(core('configmaps'), { metadata: meta('c', { labels: { app: 'bad value' } }) }), /^metadata\.labels: Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters/);
  assert.equal(check(core('configmaps'), { metadata: meta('c', { annotations: { big: 'x'.repeat(262145) } }) }), 'metadata.annotations: Too long: may not be more than 262144 bytes');
});

test('a pod needs containers with a name and an image', () => {
  assert.equal(check(core('pods'), { metadata: meta('p'), spec: {} }), 'spec.containers: Required value');
  assert.equal(check(core('pods'), { metadata: meta('p'), spec: { containers: [{ name: 'web' }, { image: 'x' }] } }), '[spec.containers[0].image: Required value, spec.containers[1].name: Required value]');
  assert.equal(check(core('pods'), { metadata: meta('p'), spec: { containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] } }), 'spec.containers[1].name: Duplicate value: "a"');
  assert.equal(check(core('pods'), { metadata: meta('p'), spec: { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 70000 }] }] } }), 'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive');
  assert.equal(check(core('pods'), { metadata: meta('p'), spec: { restartPolicy: 'Sometimes', containers: [{ name: 'a', image: 'x' }] } }), 'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"');
});

test('a pod update may change images but not the rest of the spec', () => {
  const old: JsonObject = { metadata: meta('p'), spec: { containers: [{ name: 'a', image: 'x', env: [] }] } };
  assert.equal(check(core('pods'), { metadata: meta('p'), spec: { containers: [{ name: 'a', image: 'y', env: [] }] } }, old), '');
  assert.match(check(core('pods'), { metadata: meta('p'), spec: { containers: [{ name: 'b', image: 'x', env: [] }] } }, old), /^spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`/);
});

test('a deployment needs a selector that matches its template labels', () => {
  const apps = { group: 'apps', resource: 'deployments' };
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'x' }] } };
  assert.equal(check(apps, { metadata: meta('d'), spec: { selector: { matchLabels: { app: 'web' } }, template } }), '');
  assert.equal(check(apps, { metadata: meta('d'), spec: { template } }), 'spec.selector: Required value');
  assert.equal(check(apps, { metadata: meta('d'), spec: { selector: { matchLabels: { app: 'api' } }, template } }), 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`');
  assert.equal(check(apps, { metadata: meta('d'), spec: { selector: {}, template } }), 'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment');
});

test('a deployment selector is immutable', () => {
  const apps = { group: 'apps', resource: 'deployments' };
  const spec = (app: string) => ({ selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'a', image: 'x' }] } } });
  assert.equal(
    check(apps, { metadata: meta('d'), spec: spec('nginx2') }, { metadata: meta('d'), spec: spec('nginx') }),
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"nginx2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  );
});

test('a service needs ports (named when several), and keeps its clusterIP', () => {
  assert.equal(check(core('services'), { metadata: meta('web'), spec: {} }), 'spec.ports: Required value');
  assert.equal(check(core('services'), { metadata: meta('web'), spec: { ports: [{ port: 80 }, { port: 443 }] } }), '[spec.ports[0].name: Required value, spec.ports[1].name: Required value]');
  assert.equal(check(core('services'), { metadata: meta('web'), spec: { type: 'Foo', ports: [{ port: 80 }] } }), 'spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"');
  assert.equal(
    check(core('services'), { metadata: meta('web'), spec: { clusterIP: '10.96.0.11', ports: [{ port: 80 }] } }, { metadata: meta('web'), spec: { clusterIP: '10.96.0.10', ports: [{ port: 80 }] } }),
    'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set',
  );
});

test('immutable ConfigMaps and Secrets refuse data changes; a Secret keeps its type', () => {
  const old: JsonObject = { metadata: meta('c'), immutable: true, data: { a: '1' } };
  assert.equal(check(core('configmaps'), { metadata: meta('c'), immutable: true, data: { a: '2' } }, old), 'data: Forbidden: field is immutable when `immutable` is set');
  assert.equal(check(core('configmaps'), { metadata: meta('c'), data: { a: '1' } }, old), 'immutable: Forbidden: field is immutable when `immutable` is set');
  assert.equal(check(core('secrets'), { metadata: meta('s'), type: 'Opaque' }, { metadata: meta('s'), type: 'example.com/x' }), 'type: Invalid value: "Opaque": field is immutable');
  assert.equal(check(core('secrets'), { metadata: meta('s'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'AA==' } }), 'data[tls.key]: Required value');
});

test('ConfigMap keys must be config keys', () => {
  assert.equal(
    check(core('configmaps'), { metadata: meta('c'), data: { 'bad key': 'x' } }),
    "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
  );
});

test('finalizers may not be added once deletion started', () => {
  const old: JsonObject = { metadata: meta('c', { deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['a.io/x'] }) };
  assert.equal(
    check(core('configmaps'), { metadata: meta('c', { deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['a.io/x', 'b.io/y'] }) }, old),
    'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}',
  );
});
