/**
 * `wasm-operator new <name> --lang as|js`: a new operator project from a template folder
 * under `templates/<lang>/`. Template files end in `.tmpl` (so no tool mistakes them for this
 * project's sources), `{{placeholders}}` are filled in, and `gitignore.tmpl` becomes
 * `.gitignore` (npm drops files named .gitignore from packages).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { projectPath } from '../project-path.ts';

export type TemplateLang = 'as' | 'js';

const TEMPLATES = projectPath('src', 'scaffold', 'templates');

/** Operator names become WasmOperator names: a DNS-1123 label. */
const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

async function templateFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...(await templateFiles(dir, rel)));
    else if (entry.name.endsWith('.tmpl')) out.push(rel);
  }
  return out.sort();
}

function fill(text: string, values: Record<string, string>, file: string): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`template ${file} uses {{${key}}}, which has no value`);
    return value;
  });
}

/**
 * Writes a new project for operator `name` into `dir` (created; it must not exist or be
 * empty). Resolves to the files written, relative to `dir`.
 */
export async function newProject(dir: string, name: string, lang: TemplateLang, values: Record<string, string>): Promise<string[]> {
  if (!NAME.test(name)) {
    throw new UsageError(`"${name}" is not a valid operator name: use lowercase letters, digits and '-', at most 63, starting and ending with a letter or digit`);
  }
  const template = path.join(TEMPLATES, lang);
  if (!existsSync(template)) throw new UsageError(`there is no ${lang} project template in this version of wasm-operator`);
  if (existsSync(dir) && (await readdir(dir)).length > 0) {
    throw new UsageError(`${dir} already exists and is not empty; choose another name or folder`);
  }
  const written: string[] = [];
  for (const rel of await templateFiles(template)) {
    const target = rel.slice(0, -'.tmpl'.length).replace(/(^|\/)gitignore$/, '$1.gitignore');
    const text = fill(await readFile(path.join(template, rel), 'utf8'), { ...values, name }, rel);
    await mkdir(path.dirname(path.join(dir, target)), { recursive: true });
    await writeFile(path.join(dir, target), text);
    written.push(target);
  }
  return written;
}
