/**
 * Go-style durations (`10s`, `1m30s`, `250ms`, `1.5h`), as `time.ParseDuration` reads them and
 * as Kubernetes writes `metav1.Duration` fields.
 */
import { InvalidValueError } from '../errors.ts';

const unitMs: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** The grammar, also used as the CRD's pattern (`0` alone, or number-unit pairs). */
export const durationPattern = '^([-+]?0|[-+]?(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$';
const durationRe = new RegExp(durationPattern, 'u');
const termRe = /([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)/gu;

/** The duration in milliseconds (possibly fractional, possibly negative). Throws INVALID_VALUE. */
export function parseDuration(duration: string): number {
  if (!durationRe.test(duration)) {
    const hint = /^[0-9.]+$/.test(duration) ? ' (a unit is required, e.g. "10s")' : '';
    throw new InvalidValueError('duration', duration, `must be a sequence of numbers with units ns, us, ms, s, m or h, like "1m30s" or "250ms"${hint}`);
  }
  let ms = 0;
  for (const [, number, unit] of duration.matchAll(termRe)) ms += Number(number) * unitMs[unit!]!;
  return duration.startsWith('-') ? -ms : ms;
}

/** Milliseconds as Go prints a duration, to whole milliseconds: `90000` is `1m30s`, `250` is `250ms`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.round(Math.abs(ms));
  if (rest < 1_000) return `${sign}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = rest / 1_000;
  return `${sign}${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}
