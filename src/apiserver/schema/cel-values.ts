import { isJsonObject, type JsonValue } from '../json.ts';
import { additionalSchema, itemSchema, type JSONSchemaProps } from './json-schema-props.ts';

/** Makers of CEL's well-known values, from the lazily loaded protobuf runtime. */
export interface CelWellKnown {
  timestamp(date: Date): unknown;
  duration(ms: number): unknown;
}

/**
 * A JSON value as kube's CEL sees it: integers as `int`, `number` fields as `double`,
 * objects as maps, `format: date-time` strings as timestamps, `format: duration` strings as
 * durations and `format: byte` strings as bytes. At a resource root (or an embedded
 * resource) metadata shows only `name` and `generateName`, as in kube.
 */
export function toCel(value: JsonValue, s: JSONSchemaProps | undefined, resourceLike: boolean, wk: CelWellKnown): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') return formatted(value, s?.format, wk);
  if (typeof value === 'number') return s?.type === 'number' || !Number.isInteger(value) ? value : BigInt(value);
  if (Array.isArray(value)) return value.map((v) => toCel(v, itemSchema(s), false, wk));
  const out = new Map<string, unknown>();
  const extra = additionalSchema(s);
  for (const [k, v] of Object.entries(value)) {
    if (resourceLike && k === 'metadata' && isJsonObject(v)) {
      const meta = new Map<string, unknown>();
      for (const field of ['name', 'generateName']) if (typeof v[field] === 'string') meta.set(field, v[field]);
      out.set(k, meta);
      continue;
    }
    out.set(k, toCel(v, s?.properties?.[k] ?? extra, false, wk));
  }
  return out;
}

function formatted(value: string, format: string | undefined, wk: CelWellKnown): unknown {
  switch (format) {
    case 'date-time': {
      const ms = Date.parse(value);
      return Number.isNaN(ms) ? value : wk.timestamp(new Date(ms));
    }
    case 'duration': {
      const ms = goDurationMs(value);
      return ms === undefined ? value : wk.duration(ms);
    }
    case 'byte':
      return new Uint8Array(Buffer.from(value, 'base64'));
    default:
      return value;
  }
}

const unitsMs: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration (`1h30m`, `500ms`, `-2s`) in milliseconds, or undefined. */
export function goDurationMs(text: string): number | undefined {
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (m === null) return text === '0' ? 0 : undefined;
  let total = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * unitsMs[part[2]!]!;
  return m[1] === '-' ? -total : total;
}
