import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { setMember } from '../json-members.ts';
import { memberType, itemType, concreteType, type FieldType } from '../type-info/index.ts';
import { comparePathElements, parsePathElement, serializePathElement, type PathElement } from './path-element.ts';

interface Child {
  readonly pe: PathElement;
  readonly set: FieldSet;
}

/**
 * A set of field paths, as a tree: at each level the path elements that are members (owned
 * themselves) and those that lead to deeper paths. This is what `fieldsV1` encodes: a member
 * is `{}`, a node that is both a member and has children holds `".": {}`.
 *
 * Sets are built with `insert` and then treated as values: every other operation returns a new
 * set and leaves its operands alone.
 */
export class FieldSet {
  readonly #members = new Map<string, PathElement>();
  readonly #children = new Map<string, Child>();

  static fromPaths(paths: Iterable<readonly PathElement[]>): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.insert(path);
    return set;
  }

  /** Reads a `fieldsV1` object; keys that are not path elements are ignored, as kube ignores them. */
  static fromFieldsV1(fields: JsonValue | undefined): FieldSet {
    const set = new FieldSet();
    if (!isJsonObject(fields)) return set;
    for (const [text, inner] of Object.entries(fields)) {
      const pe = parsePathElement(text);
      if (pe === undefined) continue;
      const key = serializePathElement(pe);
      const innerObject = isJsonObject(inner) ? inner : {};
      const nested = Object.keys(innerObject).filter((k) => k !== '.');
      if (nested.length === 0 || Object.hasOwn(innerObject, '.')) set.#members.set(key, pe);
      if (nested.length > 0) {
        const child = FieldSet.fromFieldsV1(innerObject);
        if (!child.isEmpty()) set.#children.set(key, { pe, set: child });
      }
    }
    return set;
  }

  insert(path: readonly PathElement[]): void {
    if (path.length === 0) return;
    const [head, ...rest] = path as [PathElement, ...PathElement[]];
    const key = serializePathElement(head);
    if (rest.length === 0) {
      this.#members.set(key, head);
      return;
    }
    let child = this.#children.get(key);
    if (child === undefined) {
      child = { pe: head, set: new FieldSet() };
      this.#children.set(key, child);
    }
    child.set.insert(rest);
  }

  isEmpty(): boolean {
    return this.#members.size === 0 && this.#children.size === 0;
  }

  has(path: readonly PathElement[]): boolean {
    if (path.length === 0) return false;
    const key = serializePathElement(path[0]!);
    if (path.length === 1) return this.#members.has(key);
    return this.#children.get(key)?.set.has(path.slice(1)) ?? false;
  }

  /** The paths below `pe`, without it. */
  withPrefix(pe: PathElement): FieldSet {
    return this.#children.get(serializePathElement(pe))?.set ?? new FieldSet();
  }

  union(other: FieldSet): FieldSet {
    const result = this.#copy();
    for (const [key, pe] of other.#members) result.#members.set(key, pe);
    for (const [key, child] of other.#children) {
      const mine = result.#children.get(key);
      result.#children.set(key, { pe: child.pe, set: mine === undefined ? child.set : mine.set.union(child.set) });
    }
    return result;
  }

  /** This set without `other`'s members, level by level (a member of `other` does not remove deeper paths). */
  difference(other: FieldSet): FieldSet {
    const result = new FieldSet();
    for (const [key, pe] of this.#members) if (!other.#members.has(key)) result.#members.set(key, pe);
    for (const [key, child] of this.#children) {
      const theirs = other.#children.get(key);
      const rest = theirs === undefined ? child.set : child.set.difference(theirs.set);
      if (!rest.isEmpty()) result.#children.set(key, { pe: child.pe, set: rest });
    }
    return result;
  }

  intersection(other: FieldSet): FieldSet {
    const result = new FieldSet();
    for (const [key, pe] of this.#members) if (other.#members.has(key)) result.#members.set(key, pe);
    for (const [key, child] of this.#children) {
      const theirs = other.#children.get(key);
      if (theirs === undefined) continue;
      const both = child.set.intersection(theirs.set);
      if (!both.isEmpty()) result.#children.set(key, { pe: child.pe, set: both });
    }
    return result;
  }

  /** Every path: the members of a level first, then the paths below it, in kube's order. */
  paths(prefix: readonly PathElement[] = []): PathElement[][] {
    const result: PathElement[][] = [];
    for (const pe of sorted([...this.#members.values()])) result.push([...prefix, pe]);
    for (const child of sortedChildren([...this.#children.values()])) result.push(...child.set.paths([...prefix, child.pe]));
    return result;
  }

  /**
   * Also counts as a member every declared struct field that has paths below it; kube does
   * this before removing fields, so that a struct a manager stops applying goes away whole.
   */
  withNamedFieldsAsMembers(type: FieldType): FieldSet {
    const result = new FieldSet();
    for (const [key, pe] of this.#members) result.#members.set(key, pe);
    const object = concreteType(type, {});
    for (const [key, child] of this.#children) {
      let childType: FieldType = type;
      if ('field' in child.pe) {
        const member = memberType(type, child.pe.field);
        if (member.declared && object.kind === 'object') result.#members.set(key, child.pe);
        childType = member.type;
      } else if ('key' in child.pe) {
        childType = itemType(type);
      }
      result.#children.set(key, { pe: child.pe, set: child.set.withNamedFieldsAsMembers(childType) });
    }
    return result;
  }

  /** The `fieldsV1` encoding, keys in kube's order. */
  toFieldsV1(includeSelf = false): JsonObject {
    const out: JsonObject = {};
    if (includeSelf && !this.isEmpty()) out['.'] = {};
    const keys = new Map<string, PathElement>([...this.#members, ...[...this.#children].map(([k, c]) => [k, c.pe] as const)]);
    for (const pe of sorted([...keys.values()])) {
      const key = serializePathElement(pe);
      const child = this.#children.get(key);
      setMember(out, key, child === undefined ? {} : child.set.toFieldsV1(this.#members.has(key)));
    }
    return out;
  }

  #copy(): FieldSet {
    const result = new FieldSet();
    for (const [key, pe] of this.#members) result.#members.set(key, pe);
    for (const [key, child] of this.#children) result.#children.set(key, child);
    return result;
  }
}

function sorted(elements: PathElement[]): PathElement[] {
  return elements.sort(comparePathElements);
}

function sortedChildren(children: Child[]): Child[] {
  return children.sort((a, b) => comparePathElements(a.pe, b.pe));
}
