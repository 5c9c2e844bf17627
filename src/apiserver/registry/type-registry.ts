/**
 * Every resource type the server serves right now: the built-ins plus those of established
 * CustomResourceDefinitions. Discovery, OpenAPI and request routing all read it, so a CRD's
 * resources appear and disappear everywhere at once.
 */
import type { ResourceType } from './resource-type.ts';

/** One group as discovery lists it: versions newest-preferred first. */
export interface GroupInfo {
  name: string;
  versions: string[];
  preferredVersion: string;
}

export class TypeRegistry {
  #types = new Map<string, ResourceType>();
  #bySource = new Map<string, ResourceType[]>();
  #generation = 0;
  #groupsCache: GroupInfo[] | undefined;

  constructor(builtins: readonly ResourceType[]) {
    this.#add('builtin', builtins);
  }

  /** Bumped on every change; caches of discovery documents key on it. */
  get generation(): number {
    return this.#generation;
  }

  lookup(group: string, version: string, resource: string): ResourceType | undefined {
    return this.#types.get(`${group}/${version}/${resource}`);
  }

  /** Every served type, in registration order. */
  all(): ResourceType[] {
    return [...this.#types.values()];
  }

  /** The types served under one group version, in registration order. */
  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.all().filter((t) => t.group === group && t.version === version);
  }

  /** Any served type stored in `storage` (for reading the objects, whatever the version). */
  byStorage(storage: string): ResourceType | undefined {
    for (const t of this.#types.values()) if (t.storage === storage && t.conversion === undefined) return t;
    for (const t of this.#types.values()) if (t.storage === storage) return t;
    return undefined;
  }

  /** The type named by an ownerReference's apiVersion and kind. */
  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    for (const t of this.#types.values()) if (t.group === group && t.version === version && t.kind === kind) return t;
    return undefined;
  }

  /** Groups in discovery order: core first, then in order of registration. */
  groups(): GroupInfo[] {
    if (this.#groupsCache !== undefined) return this.#groupsCache;
    const groups = new Map<string, GroupInfo>();
    for (const t of this.#types.values()) {
      let info = groups.get(t.group);
      if (info === undefined) {
        info = { name: t.group, versions: [], preferredVersion: t.version };
        groups.set(t.group, info);
      }
      if (!info.versions.includes(t.version)) info.versions.push(t.version);
      if (t.preferred) info.preferredVersion = t.version;
    }
    for (const info of groups.values()) {
      info.versions.sort((a, b) => (a === info.preferredVersion ? -1 : b === info.preferredVersion ? 1 : 0));
    }
    this.#groupsCache = [...groups.values()];
    return this.#groupsCache;
  }

  /** Serves `types` under `source` (a CRD's name), replacing what that source served before. */
  replace(source: string, types: readonly ResourceType[]): void {
    this.remove(source);
    this.#add(source, types);
  }

  /** Stops serving everything `source` registered. */
  remove(source: string): void {
    const old = this.#bySource.get(source);
    if (old === undefined) return;
    for (const t of old) this.#types.delete(`${t.group}/${t.version}/${t.resource}`);
    this.#bySource.delete(source);
    this.#changed();
  }

  #add(source: string, types: readonly ResourceType[]): void {
    for (const t of types) this.#types.set(`${t.group}/${t.version}/${t.resource}`, t);
    this.#bySource.set(source, [...types]);
    this.#changed();
  }

  #changed(): void {
    this.#generation++;
    this.#groupsCache = undefined;
  }
}
