/**
 * The few web-platform globals npm libraries reach for, which QuickJS does not have:
 * `console` (to the operator's log), `crypto.getRandomValues`/`randomUUID` (WASI random),
 * `queueMicrotask`, and `TextEncoder`/`TextDecoder` for UTF-8. Timers are deliberately absent:
 * nothing runs between calls; return `requeueAfter(ms)` instead.
 */
import { engineHost } from './host.ts';
import type { LogEntry } from './host.ts';

function text(args: unknown[]): string {
  return args
    .map((a) => {
      if (typeof a === 'string') return a;
      if (a instanceof Error) return a.stack ? `${a.message}\n${a.stack}` : a.message;
      try {
        return JSON.stringify(a) ?? String(a);
      } catch {
        return String(a);
      }
    })
    .join(' ');
}

function consoleAt(level: LogEntry['level']): (...args: unknown[]) => void {
  return (...args: unknown[]) => engineHost().log({ level, message: text(args) });
}

function utf8Encode(s: string): Uint8Array {
  const bytes: number[] = [];
  for (const ch of s) {
    let c = ch.codePointAt(0) ?? 0;
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(bytes);
}

/** Smallest code point for each sequence length: anything below is an overlong encoding. */
const minCodePoint = [0, 0x80, 0x800, 0x10000];

function utf8Decode(input: ArrayBuffer | ArrayBufferView | undefined): string {
  if (input === undefined) return '';
  const b = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  let out = '';
  let i = 0;
  while (i < b.length) {
    const c = b[i] ?? 0;
    const extra = c < 0x80 ? 0 : c >= 0xc0 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf8 ? 3 : -1;
    let cp = extra === 0 ? c : c & (0x3f >> extra);
    let valid = extra >= 0 && i + extra < b.length;
    for (let k = 1; valid && k <= extra; k++) {
      const next = b[i + k] ?? 0;
      valid = (next & 0xc0) === 0x80;
      cp = (cp << 6) | (next & 0x3f);
    }
    valid &&= cp >= (minCodePoint[extra] ?? 0) && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
    out += valid ? String.fromCodePoint(cp) : '\ufffd';
    i += valid ? extra + 1 : 1;
  }
  return out;
}

function randomUUID(): string {
  const b = engineHost().fillRandom(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Installs the globals that are missing (never replacing one the engine has). */
export function installGlobals(): void {
  const g = globalThis as Record<string, unknown>;
  g.console ??= {
    log: consoleAt('info'),
    info: consoleAt('info'),
    debug: consoleAt('debug'),
    warn: consoleAt('warn'),
    error: consoleAt('error'),
  };
  g.crypto ??= {
    getRandomValues: <T extends ArrayBufferView>(array: T): T => engineHost().fillRandom(array),
    randomUUID,
  };
  g.queueMicrotask ??= (fn: () => void) => void Promise.resolve().then(fn);
  g.TextEncoder ??= class TextEncoder {
    readonly encoding = 'utf-8';
    encode(s = ''): Uint8Array {
      return utf8Encode(s);
    }
  };
  g.TextDecoder ??= class TextDecoder {
    readonly encoding = 'utf-8';
    decode(input?: ArrayBuffer | ArrayBufferView): string {
      return utf8Decode(input);
    }
  };
}

// Types for operator authors, written so that they merge with lib.dom's and @types/node's
// declarations when a project also includes those.
declare global {
  interface Console {
    log(...args: unknown[]): void;
    info(...args: unknown[]): void;
    debug(...args: unknown[]): void;
    warn(...args: unknown[]): void;
    error(...args: unknown[]): void;
  }
  var console: Console;
  interface Crypto {
    getRandomValues<T extends ArrayBufferView | null>(array: T): T;
    randomUUID(): string;
  }
  var crypto: Crypto;
  function queueMicrotask(callback: () => void): void;
  interface TextEncoder {
    readonly encoding: string;
    encode(input?: string): Uint8Array;
  }
  var TextEncoder: { prototype: TextEncoder; new (): TextEncoder };
  interface TextDecoder {
    readonly encoding: string;
    decode(input?: ArrayBuffer | ArrayBufferView): string;
  }
  var TextDecoder: { prototype: TextDecoder; new (label?: string): TextDecoder };
}
