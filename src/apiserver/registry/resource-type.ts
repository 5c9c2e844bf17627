/**
 * What the server knows about one served resource in one version: names for discovery, scope,
 * the verbs and subresources it answers, and the few behaviours that differ between kinds.
 */
import type { JsonObject } from '../json.ts';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export const allVerbs: readonly Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/**
 * When `metadata.generation` moves: never (ConfigMaps have none), on any change outside
 * metadata (custom resources without a status subresource), or on changes outside metadata
 * and status (kinds with a status subresource).
 */
export type GenerationPolicy = 'none' | 'nonMetadata' | 'spec';

/** Converts an object between the stored form and one served version (apiVersion and fields). */
export interface VersionConversion {
  toStorage(obj: JsonObject): JsonObject;
  fromStorage(obj: JsonObject): JsonObject;
}

/** Paths (`.spec.replicas`) of what an autoscaling/v1 Scale reads and writes. */
export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
  /** Replicas reported when the object has none (a Deployment defaults to 1). */
  defaultReplicas: number;
}

export interface ResourceType {
  group: string;
  version: string;
  /** Plural lower-case name used in URLs, e.g. `configmaps`. */
  resource: string;
  kind: string;
  listKind: string;
  singular: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  verbs: readonly Verb[];
  /** `status` is served as a subresource (PUT/PATCH only change status there, and only there). */
  statusSubresource: boolean;
  /** The `scale` subresource, when served: where the replicas and the selector are. */
  scale?: ScaleSubresource;
  /** Extra subresources answered by special handlers, e.g. a namespace's `finalize`. */
  extraSubresources: readonly string[];
  /** Collection the objects are stored in, shared by every version (and by events.k8s.io events). */
  storage: string;
  generation: GenerationPolicy;
  /** PUT of a missing object creates it (Events, Leases), otherwise 404. */
  allowCreateOnUpdate: boolean;
  /** DELETE answers with the deleted object rather than a Status (pods, custom resources). */
  returnDeletedObject: boolean;
  /** The version preferred for this group in discovery. */
  preferred: boolean;
  /** Field selector labels beyond metadata.name and metadata.namespace, and how to read them. */
  fieldLabels: Readonly<Record<string, (obj: JsonObject) => string | undefined>>;
  /** Absent when the served version is the stored one. */
  conversion?: VersionConversion;
  /**
   * Set for resources served from a CustomResourceDefinition: the whole definition and this
   * version's entry of spec.versions (schema, printer columns, selectable fields).
   */
  crd?: { name: string; uid: string; definition: JsonObject; version: JsonObject };
}

/** `v1` for the core group, `apps/v1` otherwise. */
export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** The URL prefix of a group version: `/api/v1` or `/apis/apps/v1`. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}
