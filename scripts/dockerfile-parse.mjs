/**
 * A Dockerfile read into stages and instructions, for scripts/check-deploy.mjs: line
 * continuations joined, comments and parser directives dropped, exec-form (JSON array)
 * arguments of CMD and HEALTHCHECK parsed, ENV pairs split. Only what the Dockerfile of this
 * repository uses is understood (no heredocs, no ARG substitution).
 */

/** Joins `\`-continued lines and drops comments; returns logical lines. */
function logicalLines(text) {
  const lines = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (current === '' && /^\s*#/.test(line)) continue;
    if (current !== '' && /^\s*#/.test(line)) continue; // a comment inside a continuation
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim() !== '') lines.push(current.trim());
    current = '';
  }
  return lines;
}

/** `K=V K2="V 2"` pairs (the `ENV K V` form too). */
function envPairs(args) {
  if (!/^\w+=/.test(args)) {
    const [key, ...value] = args.split(/\s+/);
    return [[key, value.join(' ')]];
  }
  return [...args.matchAll(/(\w+)=("([^"]*)"|\S*)/g)].map((m) => [m[1], m[3] ?? m[2]]);
}

/** Parses the Dockerfile; each stage: `{ name, image, instructions: [{ name, args, exec?, env? }] }`. */
export function parseDockerfile(text) {
  const stages = [];
  for (const line of logicalLines(text)) {
    const match = /^(\w+)\s+([\s\S]*)$/.exec(line);
    if (match === null) continue;
    const name = match[1].toUpperCase();
    const args = match[2].trim();
    if (name === 'FROM') {
      const [image, as, stageName] = args.split(/\s+/);
      stages.push({ name: as?.toUpperCase() === 'AS' ? stageName : String(stages.length), image, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) continue; // parser directives and ARG before the first FROM
    const instruction = { name, args };
    if (name === 'ENV') instruction.env = envPairs(args);
    if (name === 'HEALTHCHECK' || name === 'CMD') {
      const json = /(\[[\s\S]*\])\s*$/.exec(args);
      if (json !== null) instruction.exec = JSON.parse(json[1]);
    }
    stage.instructions.push(instruction);
  }
  return stages;
}

export function stageByName(stages, name) {
  return stages.find((stage) => stage.name === name);
}
