/**
 * Kubernetes quantities (`64Mi`, `1G`, `500m`, `1e3`), as `resource.Quantity` parses them.
 */
import { InvalidValueError } from '../errors.ts';

const suffixes: Readonly<Record<string, number>> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The grammar, also used as the CRD's pattern. */
export const quantityPattern = '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$';
const quantityRe = new RegExp(quantityPattern);

/**
 * The value of a quantity in base units (`64Mi` is 67108864, `500m` is 0.5). A plain number
 * is taken as is. Throws INVALID_VALUE naming the quantity; note that `M` is mega (10^6) and
 * `m` milli, and that `MB` is not a quantity.
 */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === 'number') {
    if (!Number.isFinite(quantity)) throw new InvalidValueError('quantity', String(quantity), 'must be a finite number');
    return quantity;
  }
  const match = quantityRe.exec(quantity);
  if (match === null) {
    const hint = /^[0-9.]+\s*[KMGTPE]?i?B$/i.test(quantity) ? ` (for bytes write e.g. "64Mi" or "64M", without "B")` : '';
    throw new InvalidValueError('quantity', quantity, `must be a number with an optional suffix (Ki, Mi, Gi, Ti, Pi, Ei, n, u, m, k, M, G, T, P, E) or exponent${hint}`);
  }
  const suffix = match[3] ?? '';
  const number = Number(quantity.slice(0, quantity.length - suffix.length));
  return /^[eE][+-]?[0-9]+$/.test(suffix) ? number * 10 ** Number(suffix.slice(1)) : number * suffixes[suffix]!;
}

/** A quantity that must be a whole number of bytes, within [`minBytes`, `maxBytes`]. */
export function parseByteSize(quantity: string | number, minBytes = 0, maxBytes = Number.MAX_SAFE_INTEGER): number {
  const bytes = parseQuantity(quantity);
  const text = String(quantity);
  if (!Number.isInteger(bytes)) throw new InvalidValueError('byte size', text, 'must be a whole number of bytes');
  if (bytes < minBytes) throw new InvalidValueError('byte size', text, `must be at least ${formatBytes(minBytes)}`);
  if (bytes > maxBytes) throw new InvalidValueError('byte size', text, `must be at most ${formatBytes(maxBytes)}`);
  return bytes;
}

/** Bytes in the largest binary unit that divides them exactly: `65536` is `64Ki`. */
export function formatBytes(bytes: number): string {
  for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const) {
    if (bytes !== 0 && bytes % suffixes[unit]! === 0) return `${bytes / suffixes[unit]!}${unit}`;
  }
  return String(bytes);
}
