/** Wall-clock time as Kubernetes writes it: RFC 3339 in UTC, whole seconds. */
import { nowMs } from "./wasi";

/** Milliseconds since the Unix epoch, from the host's clock. */
export function now(): i64 {
  return nowMs();
}

/** `ms` (since the epoch) as `2006-01-02T15:04:05Z`, the format of Kubernetes timestamps. */
export function rfc3339(ms: i64): string {
  let seconds = ms / 1000;
  if (ms < 0 && seconds * 1000 != ms) seconds--; // floor, for times before 1970
  let days = seconds / 86400;
  let secondOfDay = seconds - days * 86400;
  if (secondOfDay < 0) { secondOfDay += 86400; days--; }
  // Civil date from a day count (Howard Hinnant's days_from_civil, inverted).
  const z = days + 719468;
  const era = (z >= 0 ? z : z - 146096) / 146097;
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  const day = doy - (153 * mp + 2) / 5 + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" +
    pad(secondOfDay / 3600, 2) + ":" + pad((secondOfDay / 60) % 60, 2) + ":" + pad(secondOfDay % 60, 2) + "Z";
}

/** Parses `2006-01-02T15:04:05Z` (an optional fraction and a `Z` or `+hh:mm` offset) to ms; -1 when malformed. */
export function parseRfc3339(s: string): i64 {
  if (s.length < 20 || s.charCodeAt(4) != 45 || s.charCodeAt(7) != 45 || s.charCodeAt(10) != 84 ||
    s.charCodeAt(13) != 58 || s.charCodeAt(16) != 58) return -1;
  const year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
  const hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || minute < 0 || second < 0) return -1;
  let i = 19;
  let fraction: i64 = 0;
  if (s.charCodeAt(i) == 46) { // .123456789: keep milliseconds
    i++;
    let scale: i64 = 100;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
      fraction += <i64>(s.charCodeAt(i) - 48) * scale;
      scale /= 10;
      i++;
    }
  }
  let offsetMinutes: i64 = 0;
  const zone = s.charCodeAt(i);
  if (zone == 43 || zone == 45) {
    const oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
    if (oh < 0 || om < 0 || s.length != i + 6) return -1;
    offsetMinutes = (oh * 60 + om) * (zone == 45 ? -1 : 1);
  } else if (zone != 90 || s.length != i + 1) {
    return -1;
  }
  // days_from_civil
  const y = month <= 2 ? year - 1 : year;
  const era = (y >= 0 ? y : y - 399) / 400;
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = (153 * mp + 2) / 5 + day - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const days = era * 146097 + doe - 719468;
  return ((days * 86400 + hour * 3600 + minute * 60 + second) - offsetMinutes * 60) * 1000 + fraction;
}

function digits(s: string, at: i32, n: i32): i64 {
  if (at + n > s.length) return -1;
  let v: i64 = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

function pad(n: i64, width: i32): string {
  let s = n.toString();
  while (s.length < width) s = "0" + s;
  return s;
}
