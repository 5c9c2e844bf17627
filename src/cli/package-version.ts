import { readFileSync } from 'node:fs';
import { projectPath } from '../project-path.ts';

/** The version in the project's package.json, read once when asked (never at import time). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}
