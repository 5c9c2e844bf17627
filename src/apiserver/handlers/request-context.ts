/** What every resource handler receives: the server's parts and the parsed request. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourcePath } from '../http/request-info.ts';
import type { ResourceStore } from '../objects/resource-store.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import type { TypeRegistry } from '../registry/type-registry.ts';
import type { SchemaHooks } from '../schema-hooks.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { WatchHub } from '../watch/watch-hub.ts';
import type { PatchEngine } from './patch-engine.ts';

export interface WatchSettings {
  /** How often a watch that allows bookmarks receives one. */
  bookmarkIntervalMs: number;
  /** A watch without timeoutSeconds ends after between this and twice this (kube's min-request-timeout). */
  minRequestTimeoutSeconds: number;
}

/** The parts of a running server that handlers use. */
export interface ServerCore {
  store: ObjectStore;
  resources: ResourceStore;
  registry: TypeRegistry;
  hub: WatchHub;
  hooks: SchemaHooks;
  patch: PatchEngine;
  watch: WatchSettings;
  now(): Date;
}

export interface RequestContext {
  core: ServerCore;
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  path: ResourcePath;
  type: ResourceType;
  /** The request's namespace; '' for cluster-scoped types and for lists across namespaces. */
  namespace: string;
}
