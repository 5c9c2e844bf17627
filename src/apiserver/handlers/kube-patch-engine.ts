/**
 * The PatchEngine of a running server: JSON patch, merge patch, strategic merge patch (built-in
 * kinds) and server-side apply from `../patch/` and `../apply/`, plus managedFields bookkeeping
 * for every other write. Their PatchErrors become Statuses with kube's wording unchanged.
 */
import { applyConflictStatus, recordWrite, serverSideApply, type FieldNamePath } from '../apply/index.ts';
import { ApiError, badRequest, type StatusDetails, type StatusReason } from '../http/api-error.ts';
import { parseBody } from '../http/request-body.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { nameOf, timestamp } from '../objects/object-meta.ts';
import {
  applyJsonPatch, applyMergePatch, applyStrategicMergePatch, customResourcePatchTypes, PatchError, supportsStrategicMergePatch,
} from '../patch/index.ts';
import { apiVersionOf, type ResourceType } from '../registry/resource-type.ts';
import { builtinTypeInfo, schemaTypeInfo, type TypeInfo } from '../type-info/index.ts';
import {
  applyPatchType, jsonPatchType, mergePatchType, strategicMergePatchType, type PatchEngine, type PatchRequest,
} from './patch-engine.ts';

const builtinPatchTypes = [jsonPatchType, mergePatchType, strategicMergePatchType, applyPatchType];

// A CRD's schema becomes TypeInfo once per served type (types are replaced when the CRD changes).
const typeInfoCache = new WeakMap<ResourceType, TypeInfo>();

function typeInfoOf(type: ResourceType): TypeInfo {
  let info = typeInfoCache.get(type);
  if (info === undefined) {
    const schema = type.crd === undefined ? undefined : (type.crd.version.schema as JsonObject | undefined)?.openAPIV3Schema;
    info = (isJsonObject(schema) ? schemaTypeInfo(schema) : undefined)
      ?? builtinTypeInfo({ group: type.group, version: type.version, kind: type.kind })
      ?? schemaTypeInfo({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    typeInfoCache.set(type, info);
  }
  return info;
}

// kube's reset fields: what a write through this endpoint may not set, so nobody gains ownership of it.
function ignoredFields(type: ResourceType, subresource: string | undefined): FieldNamePath[] {
  if (!type.statusSubresource) return [];
  return subresource === 'status' ? [['spec']] : [['status']];
}

function gvk(type: ResourceType) {
  return { group: type.group, version: type.version, kind: type.kind };
}

/** A PatchError as the Status kube answers with. */
export function toApiError(err: PatchError): ApiError {
  return new ApiError(err.status, err.reason as StatusReason, err.message, undefined, { cause: err });
}

function withPatchErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof PatchError) throw toApiError(err);
    throw err;
  }
}

export const kubePatchEngine: PatchEngine = {
  contentTypes(type) {
    return supportsStrategicMergePatch(gvk(type)) ? builtinPatchTypes : [...customResourcePatchTypes];
  },

  patch(request: PatchRequest): JsonObject {
    const { type, current, contentType } = request;
    return withPatchErrors(() => {
      if (contentType === applyPatchType) return apply(request);
      const patch = parseBody(request.body, false);
      let result: JsonValue;
      switch (contentType) {
        case jsonPatchType:
          result = applyJsonPatch(current!, patch);
          break;
        case mergePatchType:
          result = applyMergePatch(current!, patch);
          break;
        case strategicMergePatchType:
          if (!isJsonObject(patch)) throw badRequest('the patch must be a JSON object');
          result = applyStrategicMergePatch(current!, patch, gvk(type));
          break;
        default:
          throw badRequest(`unsupported patch type ${contentType}`);
      }
      if (!isJsonObject(result)) throw badRequest('the patched object is not a JSON object');
      return result;
    });
  },

  trackWrite(type, old, next, manager, _operation, now, subresource) {
    return withPatchErrors(() => recordWrite(old, next, {
      fieldManager: manager, operation: 'Update', now: timestamp(now), typeInfo: typeInfoOf(type), subresource,
      ignoredFields: ignoredFields(type, subresource),
    }));
  },
};

function apply(request: PatchRequest): JsonObject {
  const { type, current, name, subresource } = request;
  const applied = parseBody(request.body, true);
  if (!isJsonObject(applied)) throw badRequest('the applied configuration must be an object');
  if (applied.apiVersion !== apiVersionOf(type) || applied.kind !== type.kind) {
    throw badRequest(`the applied configuration must have apiVersion ${JSON.stringify(apiVersionOf(type))} and kind ${JSON.stringify(type.kind)}`);
  }
  const appliedName = nameOf(applied);
  if (appliedName !== '' && appliedName !== name) throw badRequest(`the name of the object (${appliedName}) does not match the name on the URL (${name})`);
  const result = serverSideApply(current, appliedName === '' ? { ...applied, metadata: { ...(applied.metadata as JsonObject ?? {}), name } } : applied, {
    fieldManager: request.fieldManager ?? 'unknown',
    force: request.force,
    now: timestamp(request.now),
    typeInfo: typeInfoOf(type),
    subresource,
    ignoredFields: ignoredFields(type, subresource),
  });
  if (result.kind === 'conflict') {
    const status = applyConflictStatus(result.conflicts);
    throw new ApiError(409, 'Conflict', String(status.message), status.details as StatusDetails);
  }
  return result.object;
}
