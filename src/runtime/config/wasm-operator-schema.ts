/**
 * The WasmOperator resource (`wasm-operator.dev/v1alpha1`), defined once: the TypeScript
 * types, the validator, the CRD and the docs' field reference all come from these schemas.
 * The same schema serves `run -f operators.yaml` and the custom resource in a cluster.
 */
import { durationPattern, parseDuration } from './duration.ts';
import { idlePolicyPattern, parseIdlePolicy } from './idle-policy-spec.ts';
import { parseByteSize } from './quantity.ts';
import { dnsSubdomainPattern, ownsRule, policyRule, problemOf, triggerRule, watchRule } from './rule-schemas.ts';
import { array, freeForm, intOrString, literal, map, object, optional, string, type Infer } from './schema/index.ts';
import { statusSchema } from './wasm-operator-status.ts';

export const group = 'wasm-operator.dev';
export const version = 'v1alpha1';
export const wasmOperatorKind = 'WasmOperator';
export const wasmOperatorApiVersion = `${group}/${version}`;

/** One wasm page; a memory limit below it could not hold any module. */
const minMemoryBytes = 64 * 1024;
/** wasm32 addresses at most 4 GiB. */
const maxMemoryBytes = 4 * 1024 ** 3;

const positiveDuration = (description: string) =>
  string(description, {
    format: 'duration',
    pattern: durationPattern,
    check: (text) => problemOf(() => parseDuration(text)) ?? (parseDuration(text) > 0 ? undefined : 'must be greater than zero'),
  });

export const moduleSource = object(
  'Where the operator\'s .wasm module comes from.',
  {
    file: optional(string('Path of a .wasm file on the host (local mode); relative paths are relative to the file that names it.', { maxLength: 4096 })),
    url: optional(
      string('HTTP(S) URL of the .wasm file; needs `sha256`.', {
        maxLength: 2048,
        pattern: '^https?://',
        check: (text) => (URL.canParse(text) && /^https?:$/.test(new URL(text).protocol) ? undefined : 'must be an http or https URL'),
      }),
    ),
    configMap: optional(
      object('A ConfigMap in the WasmOperator\'s namespace holding the module under `binaryData`.', {
        name: string('The ConfigMap\'s name.', { pattern: dnsSubdomainPattern, maxLength: 253 }),
        key: string('The key under `binaryData`.', { pattern: '^[-._a-zA-Z0-9]+$', maxLength: 253 }),
      }),
    ),
    sha256: optional(string('Expected SHA-256 of the module, 64 lowercase hex digits; checked whenever given, so a changed module is refused.', { pattern: '^[a-f0-9]{64}$' })),
  },
  { exactlyOne: ['file', 'url', 'configMap'], rules: [{ message: 'sha256 is required with url', cel: '!has(self.url) || has(self.sha256)', holds: (m) => m.url === undefined || m.sha256 !== undefined }] },
);

/**
 * What an operator declares and sets: the fields of both the module's manifest and the
 * WasmOperator spec (which overrides the manifest field by field; see `resolveOperator`).
 */
const operatorFields = {
  watches: optional(array('Watched (primary) kinds: each of their objects is reconciled as itself.', watchRule, { minItems: 1 })),
  owns: optional(array('Child kinds.', ownsRule)),
  triggers: optional(array('Other kinds mapped by label or annotation to objects to reconcile.', triggerRule)),
  permissions: optional(array('What the guest\'s API calls may do; calls outside these rules get a 403 Status and are never sent.', policyRule)),
  config: optional(freeForm('Passed to the guest\'s `init` as JSON. The spec\'s is applied to the manifest\'s as a JSON merge patch (RFC 7386): objects merge, `null` removes a key.')),
  args: optional(array('Command-line arguments the guest sees through WASI (after the module name).', string('One argument.'))),
  env: optional(map('Environment variables the guest sees through WASI; the spec\'s are merged over the manifest\'s by name.', string('The value.'))),
  idlePolicy: optional(
    string('When the idle operator is suspended to disk: `never`, `immediate`, `after:<duration>` (e.g. `after:30s`), or `adaptive` (learns the operator\'s event rhythm).', {
      format: 'idle policy',
      pattern: idlePolicyPattern,
      check: (text) => problemOf(() => parseIdlePolicy(text)),
    }),
  ),
  memoryLimit: optional(
    intOrString('Most linear memory the guest may use, as a quantity (`64Mi`) or bytes; a guest that grows past it traps.', {
      format: 'quantity',
      check: (value) => problemOf(() => parseByteSize(value, minMemoryBytes, maxMemoryBytes)),
    }),
  ),
  reconcileTimeout: optional(positiveDuration('Longest a reconcile may run before the operator is stopped and marked Failed, e.g. `10s`.')),
  resyncPeriod: optional(positiveDuration('Reconcile every watched object this often even without changes, e.g. `10m`; never when absent.')),
};

export const wasmOperatorSpec = object('What the operator runs, watches, may touch and how it sleeps. Fields set here override the module\'s manifest.', {
  module: moduleSource,
  ...operatorFields,
  // Spec only, never in a module's manifest: which identity an operator acts as is the
  // administrator's decision, not the module author's.
  serviceAccountName: optional(
    string(
      'A ServiceAccount in the WasmOperator\'s namespace: the host sends the guest\'s API calls as this account (`Impersonate-User: system:serviceaccount:<namespace>:<name>`), so the API server\'s RBAC applies on top of `permissions`. Absent: calls are sent as the host itself.',
      { pattern: dnsSubdomainPattern, maxLength: 253 },
    ),
  ),
});

/**
 * The manifest a module may carry in its `wasm-operator.manifest` custom section (docs/abi.md):
 * the spec's fields except the module source.
 */
export const moduleManifest = object('What a module declares about itself.', operatorFields);

export const objectMeta = object(
  'Standard object metadata; fields other than these are kept as given (the API server sets them).',
  {
    name: string('The operator\'s name, unique in its namespace.', { pattern: dnsSubdomainPattern, maxLength: 253 }),
    namespace: optional(string('Its namespace; `default` when absent in an operators file.', { pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 })),
    labels: optional(map('Labels.', string('Label value.'))),
    annotations: optional(map('Annotations.', string('Annotation value.'))),
  },
  { open: true },
);

export const wasmOperatorSchema = object('A Kubernetes operator that runs as a WebAssembly module in the wasm-operator host.', {
  apiVersion: literal('Always `wasm-operator.dev/v1alpha1`.', [wasmOperatorApiVersion]),
  kind: literal('Always `WasmOperator`.', [wasmOperatorKind]),
  metadata: objectMeta,
  spec: wasmOperatorSpec,
  status: optional(statusSchema),
});

export type WasmOperator = Infer<typeof wasmOperatorSchema>;
export type WasmOperatorSpec = Infer<typeof wasmOperatorSpec>;
export type ModuleManifest = Infer<typeof moduleManifest>;
export type ModuleSource = Infer<typeof moduleSource>;
