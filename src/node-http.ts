/**
 * Node's `http` and `https` modules, loaded as CommonJS on purpose.
 *
 * An ES `import` of `node:http` builds a namespace of every export, which evaluates the lazy
 * `http.WebSocket` getter and loads undici: about 15 MB of RSS for nothing we use (measured on
 * Node 26: 47 MB after `require('node:http')`, 62 MB after `import 'node:http'`). Everything
 * in the host that needs these modules should take them from here.
 *
 * `https` is loaded on first use: it brings `tls` and OpenSSL's TLS code, about 5 MB of RSS
 * that a host talking plain HTTP to its API server (a local dev cluster, a sidecar proxy)
 * never needs.
 */
import { createRequire } from 'node:module';
import type httpModule from 'node:http';
import type httpsModule from 'node:https';

const require = createRequire(import.meta.url);

export const http = require('node:http') as typeof httpModule;

let httpsLoaded: typeof httpsModule | undefined;

/** Node's `https`, loaded the first time it is asked for. */
export function https(): typeof httpsModule {
  return (httpsLoaded ??= require('node:https') as typeof httpsModule);
}
