/**
 * The small part of POSIX shell the README's command blocks use, read the way `sh` reads it:
 * `\`-newline continuations, comments, single quotes, double quotes with `$NAME` / `${NAME}`
 * expansion, `NAME=value` assignments and `|` pipelines. Anything else (command substitution,
 * redirections, globs) is refused, so a README command the reader's shell would run differently
 * fails the test instead of being guessed at.
 */

export interface ShellCommand {
  /** The pipeline's stages, each a list of words. */
  readonly stages: readonly (readonly string[])[];
  /** The command as written (one line after continuations). */
  readonly source: string;
}

type Env = Record<string, string>;

function expand(text: string, env: Env): string {
  return text.replace(/\$(?:\{(\w+)\}|(\w+))/g, (_match, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    const value = env[name];
    if (value === undefined) throw new Error(`$${name} is not set`);
    return value;
  });
}

/** Splits one logical line into words and `|` operators. */
function words(line: string, env: Env): string[] {
  const out: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let end = i + 1;
      while (end < line.length && line[end] !== '"') end += line[end] === '\\' ? 2 : 1;
      if (end >= line.length) throw new Error(`unterminated " in: ${line}`);
      word = (word ?? '') + expand(line.slice(i + 1, end).replace(/\\(["\\$`])/g, '$1'), env);
      i = end;
    } else if (c === ' ' || c === '\t') {
      if (word !== undefined) out.push(word);
      word = undefined;
    } else if (c === '#' && word === undefined) {
      break;
    } else if (c === '|') {
      if (word !== undefined) out.push(word);
      word = undefined;
      out.push('|');
    } else if ('$'.includes(c)) {
      const match = /^\$(?:\{\w+\}|\w+)/.exec(line.slice(i));
      if (match === null) throw new Error(`unsupported $ in: ${line}`);
      word = (word ?? '') + expand(match[0], env);
      i += match[0].length - 1;
    } else if ('`;&<>()*?\\'.includes(c)) {
      throw new Error(`unsupported shell syntax ${JSON.stringify(c)} in: ${line}`);
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) out.push(word);
  return out;
}

/** Joins continuation lines and lines inside an open quote into logical lines. */
function logicalLines(script: string): string[] {
  const lines: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < script.length; i += 1) {
    const c = script[i]!;
    if (quote === undefined && c === '\\' && script[i + 1] === '\n') {
      i += 1;
      continue;
    }
    if (quote === undefined && c === '#' && (current === '' || /\s$/.test(current))) {
      while (i + 1 < script.length && script[i + 1] !== '\n') i += 1;
      continue;
    }
    if (c === '\n' && quote === undefined) {
      if (current.trim() !== '') lines.push(current.trim());
      current = '';
      continue;
    }
    if (quote === undefined && (c === "'" || c === '"')) quote = c;
    else if (quote === c && !(c === '"' && script[i - 1] === '\\')) quote = undefined;
    current += c;
  }
  if (current.trim() !== '') lines.push(current.trim());
  return lines;
}

/**
 * The commands of `script`, with variables expanded from `env`. An assignment `NAME=value` sets
 * `env.NAME` unless `fixed` names it (the test's own value wins over the README's placeholder).
 */
export function shellCommands(script: string, env: Env, fixed: readonly string[] = []): ShellCommand[] {
  const commands: ShellCommand[] = [];
  for (const line of logicalLines(script)) {
    const assignment = /^(\w+)=(\S*)$/.exec(line.replace(/\s+#.*$/, ''));
    if (assignment !== null) {
      if (!fixed.includes(assignment[1]!)) env[assignment[1]!] = words(assignment[2]!, env).join(' ');
      continue;
    }
    const all = words(line, env);
    const stages: string[][] = [[]];
    for (const word of all) {
      if (word === '|') stages.push([]);
      else stages[stages.length - 1]!.push(word);
    }
    commands.push({ stages, source: line });
  }
  return commands;
}
