/**
 * OpenAPI v3 (`/openapi/v3` and one document per group version), with what clients read from
 * it: every path with its operations, the `x-kubernetes-group-version-kind` of each, the
 * query parameters (kubectl looks for `fieldValidation` on PATCH to decide that the server
 * validates, so `kubectl apply` needs no `--validate=false`), and the patch types accepted.
 *
 * Schemas are published for custom resources (their CRD's openAPIV3Schema). Built-in kinds are
 * served without schemas on purpose: kubectl then computes client-side strategic merge patches
 * from its compiled-in types, which know every list's merge key; a schemaless entry would
 * make it replace lists instead.
 */
import { createHash } from 'node:crypto';
import { isJsonObject, type JsonObject } from '../json.ts';
import { groupVersionPath, type ResourceType } from '../registry/resource-type.ts';
import type { TypeRegistry } from '../registry/type-registry.ts';
import { kubernetesVersion } from './version.ts';

/** A group version's document, its JSON, and the hash that names it in the root's URLs. */
export interface OpenApiDocument {
  json: string;
  hash: string;
}

/** The key of a group version in the root document: `api/v1`, `apis/apps/v1`. */
export function openApiPathKey(group: string, version: string): string {
  return groupVersionPath(group, version).slice(1);
}

/** Builds and caches the documents; they change only when the registry does. */
export class OpenApiV3 {
  readonly #registry: TypeRegistry;
  readonly #patchTypes: (type: ResourceType) => string[];
  #generation = -1;
  #docs = new Map<string, OpenApiDocument>();

  constructor(registry: TypeRegistry, patchTypes: (type: ResourceType) => string[]) {
    this.#registry = registry;
    this.#patchTypes = patchTypes;
  }

  /** `/openapi/v3`: where each group version's document is. */
  root(): JsonObject {
    const paths: JsonObject = {};
    for (const [key, doc] of this.#all()) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.hash}` };
    return { paths };
  }

  /** The document at `/openapi/v3/{key}`, or undefined. */
  document(key: string): OpenApiDocument | undefined {
    return this.#all().get(key);
  }

  #all(): Map<string, OpenApiDocument> {
    if (this.#generation !== this.#registry.generation) {
      this.#docs = new Map();
      for (const info of this.#registry.groups()) {
        for (const version of info.versions) {
          const json = JSON.stringify(this.#build(info.name, version));
          const hash = createHash('sha512').update(json).digest('hex').toUpperCase();
          this.#docs.set(openApiPathKey(info.name, version), { json, hash });
        }
      }
      this.#generation = this.#registry.generation;
    }
    return this.#docs;
  }

  #build(group: string, version: string): JsonObject {
    const paths: JsonObject = {};
    const schemas: JsonObject = {};
    for (const type of this.#registry.inGroupVersion(group, version)) {
      Object.assign(paths, this.#paths(type));
      const schema = customResourceSchema(type);
      if (schema !== undefined) schemas[schemaName(type)] = schema;
    }
    return { openapi: '3.0.0', info: { title: 'Kubernetes', version: kubernetesVersion.gitVersion }, paths, components: { schemas } };
  }

  #paths(type: ResourceType): JsonObject {
    const base = groupVersionPath(type.group, type.version);
    const collection = type.namespaced ? `${base}/namespaces/{namespace}/${type.resource}` : `${base}/${type.resource}`;
    const gvk = { group: type.group, version: type.version, kind: type.kind };
    const ref: JsonObject = type.crd !== undefined ? { $ref: `#/components/schemas/${schemaName(type)}` } : { type: 'object' };
    const op = (action: string, params: JsonObject[], extra: JsonObject = {}): JsonObject => ({
      operationId: `${action}${type.kind}`,
      parameters: params,
      responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } },
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      ...extra,
    });
    const writeParams = [queryParam('dryRun'), queryParam('fieldManager'), queryParam('fieldValidation')];
    const body = (types: string[]): JsonObject => ({ requestBody: { content: Object.fromEntries(types.map((t) => [t, { schema: ref }])), required: true } });
    const item: JsonObject = {
      get: op('get', []),
      put: op('put', writeParams, body(['*/*'])),
      patch: op('patch', [...writeParams, queryParam('force')], body(this.#patchTypes(type))),
      delete: op('delete', [queryParam('dryRun'), queryParam('gracePeriodSeconds'), queryParam('propagationPolicy')]),
    };
    const listParams = ['labelSelector', 'fieldSelector', 'limit', 'continue', 'resourceVersion', 'resourceVersionMatch', 'timeoutSeconds', 'watch', 'allowWatchBookmarks', 'sendInitialEvents'].map(queryParam);
    const paths: JsonObject = {
      [collection]: { get: op('list', listParams), post: op('post', writeParams, body(['*/*'])), delete: op('deletecollection', listParams) },
      [`${collection}/{name}`]: item,
    };
    if (type.statusSubresource) paths[`${collection}/{name}/status`] = { get: item.get!, put: item.put!, patch: item.patch! };
    return paths;
  }
}

function queryParam(name: string): JsonObject {
  return { name, in: 'query', schema: { type: name === 'limit' || name === 'timeoutSeconds' || name === 'gracePeriodSeconds' ? 'integer' : 'string' }, uniqueItems: true };
}

function schemaName(type: ResourceType): string {
  return `${type.group.split('.').reverse().join('.')}.${type.version}.${type.kind}`;
}

function customResourceSchema(type: ResourceType): JsonObject | undefined {
  const schema = type.crd === undefined ? undefined : (type.crd.version.schema as JsonObject | undefined)?.openAPIV3Schema;
  if (!isJsonObject(schema)) return undefined;
  return { ...schema, 'x-kubernetes-group-version-kind': [{ group: type.group, version: type.version, kind: type.kind }] };
}
