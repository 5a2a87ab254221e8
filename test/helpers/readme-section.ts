/**
 * Reads one `## ` section of README.md and its fenced code blocks, so that a test can run the
 * commands a reader copies from it (and the README cannot drift from what the server does).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

export interface CodeBlock {
  /** The fence's info string (`sh`, `ts`, `js`, `http`, or empty). */
  readonly lang: string;
  /** The block's lines without the list item's indentation of its fence. */
  readonly text: string;
}

/** The text of the section titled `title` (from its heading to the next `## ` heading). */
export async function readmeSection(title: string): Promise<string> {
  const readme = await readFile(README, 'utf8');
  const heading = `\n## ${title}\n`;
  const start = readme.indexOf(heading);
  if (start < 0) throw new Error(`README.md has no section "## ${title}"`);
  const end = readme.indexOf('\n## ', start + heading.length);
  return readme.slice(start + 1, end < 0 ? undefined : end + 1);
}

/** The fenced blocks of `markdown` in order; a fence indented inside a list item is read at its indentation. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^( *)```(\S*)\s*$/.exec(lines[i]!);
    if (open === null) continue;
    const indent = open[1]!.length;
    const body: string[] = [];
    for (i += 1; i < lines.length && !/^ *```\s*$/.test(lines[i]!); i += 1) body.push(lines[i]!.slice(Math.min(indent, lines[i]!.search(/\S|$/))));
    blocks.push({ lang: open[2]!, text: body.join('\n') });
  }
  return blocks;
}

/** The blocks written in `lang`. */
export function blocksOf(markdown: string, lang: string): CodeBlock[] {
  return codeBlocks(markdown).filter((block) => block.lang === lang);
}

/** Inline code spans (`` `…` ``) outside fenced blocks, in order. */
export function inlineCode(markdown: string): string[] {
  const prose = markdown.replace(/^ *```[^\n]*\n[\s\S]*?^ *```\s*$/gm, '');
  // A span may wrap onto the next line; the line break and indentation read as one space.
  return [...prose.matchAll(/`([^`]+)`/g)].map((match) => match[1]!.replace(/\s*\n\s*/g, ' '));
}

/**
 * Whether `actual` is the text `shown` in the README, where each `…` there stands for any text
 * (an id, a timestamp, a part left out).
 */
export function matchesShown(shown: string, actual: string): boolean {
  const pattern = shown.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*?');
  return new RegExp(`^${pattern}$`).test(actual);
}
