/**
 * Generated regions of a hand-written markdown file, between
 * `<!-- BEGIN GENERATED: name -->` and `<!-- END GENERATED: name -->` (the convention
 * docs/operators.md uses too). Everything outside the markers is left as it was.
 */

const begin = (name: string) => `<!-- BEGIN GENERATED: ${name} -->`;
const end = (name: string) => `<!-- END GENERATED: ${name} -->`;

/** `text` with the region `name` holding `content`; a region the text lacks is appended at its end. */
export function setGeneratedSection(text: string, name: string, content: string): string {
  const body = `${begin(name)}\n${content.trimEnd()}\n${end(name)}`;
  const start = text.indexOf(begin(name));
  const stop = text.indexOf(end(name));
  if (start < 0 && stop < 0) return `${text.trimEnd()}${text.trim() === '' ? '' : '\n\n'}${body}\n`;
  if (start < 0 || stop < start) throw new Error(`the markers of the generated section "${name}" are broken: fix them by hand (${begin(name)} ... ${end(name)})`);
  return text.slice(0, start) + body + text.slice(stop + end(name).length);
}
