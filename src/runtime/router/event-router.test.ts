import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventRouter, type RoutedObject } from './event-router.ts';

const website = { apiVersion: 'example.com/v1', kind: 'Website' };
const tenant = { apiVersion: 'example.com/v1', kind: 'Tenant' };
const configMap = { apiVersion: 'v1', kind: 'ConfigMap' };
const secret = { apiVersion: 'v1', kind: 'Secret' };

const obj = (namespace: string | undefined, name: string, extra: Partial<NonNullable<RoutedObject['metadata']>> = {}): RoutedObject => ({
  metadata: { namespace, name, ...extra },
});
const ownedBy = (name: string, controller = true, apiVersion = 'example.com/v2', kind = 'Website') => ({
  ownerReferences: [{ apiVersion, kind, name, controller, uid: 'u1' }],
});
const site = (namespace: string, name: string) => ({ ...website, namespace, name });

test('an event on a watched kind requests the object itself, named by kind, namespace and name', () => {
  const router = new EventRouter({ watches: [website] });
  assert.deepEqual(router.route({ ...website, object: obj('default', 'blog') }), [site('default', 'blog')]);
});

test('objects outside the watched namespace or label selector are ignored', () => {
  const router = new EventRouter({ watches: [{ ...website, namespace: 'team-a', labelSelector: { matchLabels: { tier: 'web' } } }] });
  assert.deepEqual(router.route({ ...website, object: obj('team-b', 'x', { labels: { tier: 'web' } }) }), []);
  assert.deepEqual(router.route({ ...website, object: obj('team-a', 'x', { labels: { tier: 'db' } }) }), []);
  assert.deepEqual(router.route({ ...website, object: obj('team-a', 'x', { labels: { tier: 'web' } }) }), [site('team-a', 'x')]);
});

test('an object that leaves the selection still reaches the operator once, through its old state', () => {
  const router = new EventRouter({ watches: [{ ...website, labelSelector: { matchLabels: { tier: 'web' } } }] });
  const event = { ...website, object: obj('default', 'x', { labels: { tier: 'db' } }), oldObject: obj('default', 'x', { labels: { tier: 'web' } }) };
  assert.deepEqual(router.route(event), [site('default', 'x')]);
});

test('a deletion reported with labels that no longer match still reaches the operator', () => {
  const router = new EventRouter({ watches: [{ ...website, labelSelector: { matchLabels: { tier: 'web' } } }] });
  assert.deepEqual(router.route({ ...website, type: 'deleted', object: obj('default', 'x', { labels: { tier: 'db' } }) }), [site('default', 'x')]);
  assert.deepEqual(router.route({ ...website, type: 'updated', object: obj('default', 'x', { labels: { tier: 'db' } }) }), []);
});

test('several watched kinds each request their own objects', () => {
  const router = new EventRouter({ watches: [website, { ...tenant, namespace: 'tenants' }] });
  assert.deepEqual(router.route({ ...tenant, object: obj('tenants', 'acme') }), [{ ...tenant, namespace: 'tenants', name: 'acme' }]);
  assert.deepEqual(router.route({ ...tenant, object: obj('other', 'acme') }), []);
});

test('an event on an owned child requests its controller owner, matched by group and kind whatever the version', () => {
  const router = new EventRouter({ watches: [website], owns: [configMap] });
  assert.deepEqual(router.route({ ...configMap, object: obj('default', 'blog-html', ownedBy('blog')) }), [site('default', 'blog')]);
});

test('a child whose owner is not its controller, or not of a watched kind, requests nothing', () => {
  const router = new EventRouter({ watches: [website], owns: [configMap] });
  assert.deepEqual(router.route({ ...configMap, object: obj('default', 'a', ownedBy('blog', false)) }), []);
  assert.deepEqual(router.route({ ...configMap, object: obj('default', 'b', ownedBy('blog', true, 'apps/v1', 'Deployment')) }), []);
  assert.deepEqual(router.route({ ...configMap, object: obj('default', 'c', ownedBy('blog', true, 'other.com/v1')) }), []);
  assert.deepEqual(router.route({ ...configMap, object: obj('default', 'd') }), []);
});

test('a child that changes owner requests both the old owner and the new one', () => {
  const router = new EventRouter({ watches: [website], owns: [configMap] });
  const routed = router.route({ ...configMap, object: obj('default', 'c', ownedBy('new')), oldObject: obj('default', 'c', ownedBy('old')) });
  assert.deepEqual(routed, [site('default', 'new'), site('default', 'old')]);
});

test('children of a cluster-scoped owner request it without a namespace', () => {
  const router = new EventRouter({ watches: [tenant], owns: [configMap] }, { isNamespaced: (_, kind) => kind !== 'Tenant' });
  const routed = router.route({ ...configMap, object: obj('tenant-a', 'settings', ownedBy('a', true, 'example.com/v1', 'Tenant')) });
  assert.deepEqual(routed, [{ ...tenant, name: 'a' }]);
});

test('events on kinds the operator does not know request nothing', () => {
  const router = new EventRouter({ watches: [website], owns: [configMap] });
  assert.deepEqual(router.route({ ...secret, object: obj('default', 's', ownedBy('blog')) }), []);
});

test('a trigger maps another kind to the watched object named in its label or annotation', () => {
  const router = new EventRouter({
    watches: [website, tenant],
    triggers: [
      { ...secret, keyFrom: { label: 'example.com/website' } },
      { ...configMap, keyFrom: { annotation: 'example.com/tenant' }, target: tenant },
    ],
  });
  assert.deepEqual(router.route({ ...secret, object: obj('default', 'tls', { labels: { 'example.com/website': 'blog' } }) }), [site('default', 'blog')]);
  const annotated = obj('shared', 'theme', { annotations: { 'example.com/tenant': 'web/shop' } });
  assert.deepEqual(router.route({ ...configMap, object: annotated }), [{ ...tenant, namespace: 'web', name: 'shop' }]);
  assert.deepEqual(router.route({ ...secret, object: obj('default', 'unrelated') }), []);
  const malformed = obj('shared', 'x', { annotations: { 'example.com/tenant': 'a/b/c' } });
  assert.deepEqual(router.route({ ...configMap, object: malformed }), []);
});

test('requests no watch covers are dropped, since the operator could never read them', () => {
  const router = new EventRouter({
    watches: [{ ...website, namespace: 'web' }],
    triggers: [
      { ...configMap, keyFrom: { annotation: 'site' } },
      { ...secret, keyFrom: { annotation: 'site' }, target: tenant },
    ],
  });
  assert.deepEqual(router.route({ ...configMap, object: obj('x', 'c', { annotations: { site: 'other/shop' } }) }), []);
  assert.deepEqual(router.route({ ...configMap, object: obj('x', 'c', { annotations: { site: 'web/shop' } }) }), [site('web', 'shop')]);
  assert.deepEqual(router.route({ ...secret, object: obj('web', 's', { annotations: { site: 'shop' } }) }), []);
});

test('the informers an operator needs are listed once each, children scoped to the one watched namespace', () => {
  const router = new EventRouter({
    watches: [{ ...website, namespace: 'web', labelSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] } }],
    owns: [configMap, configMap],
    triggers: [{ ...secret, labelSelector: { matchLabels: { app: 'x' } }, keyFrom: { label: 'app' } }],
  });
  assert.deepEqual(router.sources(), [
    { ...website, namespace: 'web', labelSelector: 'tier in (a,b)' },
    { ...configMap, namespace: 'web' },
    { ...secret, labelSelector: 'app=x' },
  ]);
  const twoNamespaces = new EventRouter({ watches: [{ ...website, namespace: 'a' }, { ...tenant, namespace: 'b' }], owns: [configMap] });
  assert.deepEqual(twoNamespaces.sources().at(-1), configMap);
});

test('a bad label selector is refused when the router is built, not on the first event', () => {
  assert.throws(() => new EventRouter({ watches: [{ ...website, labelSelector: { matchLabels: { '-bad': 'x' } } }] }), { code: 'KUBE_LABEL_SELECTOR' });
});
