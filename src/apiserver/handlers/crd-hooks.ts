/**
 * The schema hooks' part in writes of CustomResourceDefinitions: their schema checks run before
 * the write (they may be asynchronous, so they run before the synchronous check-and-write), and
 * the written CRD is prepared (CEL rules compiled) before the client hears of it, so that its
 * resources can take writes as soon as the client moves on.
 */
import { invalid } from '../http/api-error.ts';
import type { JsonObject } from '../json.ts';
import { nameOf } from '../objects/object-meta.ts';
import { crdStorage } from '../registry/crd-types.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import type { ServerCore } from './request-context.ts';

/** Throws 422 Invalid with the hooks' findings for a CRD about to be written; nothing for other kinds. */
export async function checkCrdSchemas(core: ServerCore, type: ResourceType, obj: JsonObject, subresource?: string): Promise<void> {
  if (type.storage !== crdStorage || subresource !== undefined || core.hooks.validateCrd === undefined) return;
  const errors = await core.hooks.validateCrd(obj);
  if (errors.length > 0) throw invalid(type.kind, type.group, nameOf(obj), errors);
}

/** Prepares a CRD that was just written, before the answer goes out. */
export async function prepareWrittenCrd(core: ServerCore, type: ResourceType, obj: JsonObject): Promise<void> {
  if (type.storage === crdStorage) await core.hooks.prepareCrd?.(obj);
}
