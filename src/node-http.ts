/**
 * Node's `http` and `https` modules, loaded as CommonJS on purpose.
 *
 * An ES `import` of `node:http` builds a namespace of every export, which evaluates the lazy
 * `http.WebSocket` getter and loads undici: about 15 MB of RSS for nothing we use (measured on
 * Node 26: 47 MB after `require('node:http')`, 62 MB after `import 'node:http'`). Everything
 * in the host that needs these modules should take them from here.
 */
import { createRequire } from 'node:module';
import type httpModule from 'node:http';
import type httpsModule from 'node:https';

const require = createRequire(import.meta.url);

export const http = require('node:http') as typeof httpModule;
export const https = require('node:https') as typeof httpsModule;
