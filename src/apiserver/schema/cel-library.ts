import type * as Cel from '@bufbuild/cel';
import type { CelFunc, CelList, CelValue } from '@bufbuild/cel';

/**
 * The Kubernetes CEL extension functions that CRD authors use most, beyond the standard
 * library and the strings extension that `@bufbuild/cel` ships: kube's lists library
 * (`isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`), its regex library (`find`,
 * `findAll`), cel-go's sets extension (`sets.contains`, `sets.equivalent`, `sets.intersects`)
 * and the `quantity` library. Built from the lazily imported module so that nothing here
 * loads until a CRD actually declares a rule.
 */
export function kubernetesCelFunctions(cel: typeof Cel): CelFunc[] {
  const { celMethod, celFunc, CelScalar, listType, mapType } = cel;
  // A quantity is an opaque value in kube: a one-entry map here, so `<` and `+` on
  // quantities fail as they do there, while its methods and == work.
  const quantityType = mapType(CelScalar.STRING, CelScalar.DOUBLE);
  const amount = (q: { get(k: string): unknown }): number => Number(q.get(quantityKey));
  const DYN = CelScalar.DYN;
  const anyList = listType(DYN);
  const items = (l: CelList): CelValue[] => [...l];
  const compare = (a: CelValue, b: CelValue): number => (a === b ? 0 : (a as number) < (b as number) ? -1 : 1);
  const funcs: CelFunc[] = [
    celMethod('isSorted', anyList, [], CelScalar.BOOL, function () {
      const xs = items(this);
      return xs.every((x, i) => i === 0 || compare(xs[i - 1]!, x) <= 0);
    }),
    celMethod('sum', anyList, [], DYN, function () {
      const xs = items(this);
      if (xs.length === 0) return 0n;
      return xs.reduce((a, b) => (typeof a === 'bigint' ? a + (b as bigint) : (a as number) + (b as number)));
    }),
    celMethod('min', anyList, [], DYN, function () {
      const xs = items(this);
      if (xs.length === 0) throw new Error('min called on empty list');
      return xs.reduce((a, b) => (compare(b, a) < 0 ? b : a));
    }),
    celMethod('max', anyList, [], DYN, function () {
      const xs = items(this);
      if (xs.length === 0) throw new Error('max called on empty list');
      return xs.reduce((a, b) => (compare(b, a) > 0 ? b : a));
    }),
    celMethod('indexOf', anyList, [DYN], CelScalar.INT, function (x) {
      return BigInt(items(this).findIndex((v) => celEquals(v, x)));
    }),
    celMethod('lastIndexOf', anyList, [DYN], CelScalar.INT, function (x) {
      return BigInt(items(this).findLastIndex((v) => celEquals(v, x)));
    }),
    celMethod('find', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (re) {
      return new RegExp(re, 'u').exec(this)?.[0] ?? '';
    }),
    celMethod('findAll', CelScalar.STRING, [CelScalar.STRING], listType(CelScalar.STRING), function (re) {
      return [...this.matchAll(new RegExp(re, 'gu'))].map((m) => m[0]);
    }),
    celMethod('findAll', CelScalar.STRING, [CelScalar.STRING, CelScalar.INT], listType(CelScalar.STRING), function (re, n) {
      const all = [...this.matchAll(new RegExp(re, 'gu'))].map((m) => m[0]);
      return n < 0n ? all : all.slice(0, Number(n));
    }),
    celFunc('sets.contains', [anyList, anyList], CelScalar.BOOL, (a, b) => items(b).every((x) => items(a).some((y) => celEquals(x, y)))),
    celFunc('sets.equivalent', [anyList, anyList], CelScalar.BOOL, (a, b) => {
      const xs = items(a);
      const ys = items(b);
      return ys.every((x) => xs.some((y) => celEquals(x, y))) && xs.every((x) => ys.some((y) => celEquals(x, y)));
    }),
    celFunc('sets.intersects', [anyList, anyList], CelScalar.BOOL, (a, b) => items(b).some((x) => items(a).some((y) => celEquals(x, y)))),
    celFunc('isQuantity', [CelScalar.STRING], CelScalar.BOOL, (s) => parseQuantity(s) !== undefined),
    celFunc('quantity', [CelScalar.STRING], quantityType, (s) => {
      const q = parseQuantity(s);
      if (q === undefined) throw new Error("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
      return new Map([[quantityKey, q]]);
    }),
    celMethod('isLessThan', quantityType, [quantityType], CelScalar.BOOL, function (o) { return amount(this) < amount(o); }),
    celMethod('isGreaterThan', quantityType, [quantityType], CelScalar.BOOL, function (o) { return amount(this) > amount(o); }),
    celMethod('compareTo', quantityType, [quantityType], CelScalar.INT, function (o) { return BigInt(Math.sign(amount(this) - amount(o))); }),
    celMethod('add', quantityType, [quantityType], quantityType, function (o) { return new Map([[quantityKey, amount(this) + amount(o)]]); }),
    celMethod('sub', quantityType, [quantityType], quantityType, function (o) { return new Map([[quantityKey, amount(this) - amount(o)]]); }),
    celMethod('asApproximateFloat', quantityType, [], CelScalar.DOUBLE, function () { return amount(this); }),
    celMethod('asInteger', quantityType, [], CelScalar.INT, function () {
      if (!Number.isInteger(amount(this))) throw new Error('cannot convert value to integer');
      return BigInt(amount(this));
    }),
    celMethod('isInteger', quantityType, [], CelScalar.BOOL, function () { return Number.isInteger(amount(this)); }),
    celMethod('sign', quantityType, [], CelScalar.INT, function () { return BigInt(Math.sign(amount(this))); }),
  ];
  return funcs;
}

function celEquals(a: CelValue, b: CelValue): boolean {
  // eslint-disable-next-line eqeqeq -- CEL compares 1 and 1.0 (bigint and double) as equal
  return a == b || JSON.stringify(a, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)) === JSON.stringify(b, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
}

const quantityKey = 'kubernetes.io/quantity';

const suffixes: Record<string, number> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/**
 * The amount of a resource quantity (`500m`, `1Gi`, `2e3`) as a double, or undefined when
 * the text is not a quantity. Doubles lose precision past 2^53, kube's Quantity does not.
 */
export function parseQuantity(s: string): number | undefined {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([numkMGTPE]|[KMGTPE]i)|[eE]([+-]?\d+))?$/.exec(s);
  if (m === null) return undefined;
  const base = Number(m[1]);
  if (m[3] !== undefined) return base * 10 ** Number(m[3]);
  return base * suffixes[m[2] ?? '']!;
}
