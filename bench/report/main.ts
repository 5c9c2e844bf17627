/**
 * `npm run bench:report`: bench/results/*.json -> the generated sections of
 * docs/benchmarks.md (apiserver, sdk, wake, ring) and the plots under docs/img/. Sections outside the generated markers
 * are hand-written and left alone. Options: `--results <dir>`, `--docs <dir>`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectPath } from '../../src/project-path.ts';
import { variantNames } from '../ring/ring-flags.ts';
import { setGeneratedSection } from './generated-sections.ts';
import { memoryPlot, renderSvg, roundTripPlot } from './ring-plots.ts';
import { ringSections } from './ring-report.ts';
import { groupRingRuns, readReports } from './ring-results.ts';
import { apiserverRows, metricSection, wakeRows } from './metric-table.ts';
import { sdkSection } from './sdk-report.ts';

/** Regenerates the report; resolves to the files written. */
export async function writeReport(resultsDir: string, docsDir: string): Promise<string[]> {
  const reports = await readReports(resultsDir);
  const plots = { memory: 'img/ring-memory.svg', roundTrip: 'img/ring-round-trip.svg' };
  const doc = path.join(docsDir, 'benchmarks.md');
  let text = await readFile(doc, 'utf8').catch(() => '# Benchmarks\n');
  text = setGeneratedSection(text, 'sdk-results', sdkSection(reports));
  text = setGeneratedSection(text, 'apiserver-results', metricSection(reports, 'apiserver', apiserverRows));
  text = setGeneratedSection(text, 'wake-results', metricSection(reports, 'wake', wakeRows));
  for (const [name, content] of Object.entries(ringSections(reports, plots))) text = setGeneratedSection(text, name, content);
  await writeFile(doc, text);
  const written = [doc];
  const groups = groupRingRuns(reports.filter((r) => r.bench === 'ring'), variantNames);
  if (groups.length > 0) {
    await mkdir(path.join(docsDir, 'img'), { recursive: true });
    for (const [file, spec] of [[plots.memory, memoryPlot(groups)], [plots.roundTrip, roundTripPlot(groups)]] as const) {
      await writeFile(path.join(docsDir, file), await renderSvg(spec));
      written.push(path.join(docsDir, file));
    }
  }
  return written;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { results: { type: 'string' }, docs: { type: 'string' } } });
  const written = await writeReport(values.results ?? projectPath('bench', 'results'), values.docs ?? projectPath('docs'));
  for (const file of written) process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}
