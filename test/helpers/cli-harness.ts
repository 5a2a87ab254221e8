/** Runs `runCli` with in-memory standard streams and this build's module catalog. */
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../server/cli/index.js';
import type { CliDeps } from '../../server/cli/command-context.js';
import type { CliInput } from '../../server/cli/cli-io.js';
import { moduleCatalog } from '../../module-catalog.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function collector(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Runs the CLI; `stdin` is piped text (not a terminal) unless a stream is given. */
export async function runSalon(
  argv: string[],
  options: { cwd: string; stdin?: string | CliInput; env?: NodeJS.ProcessEnv; deps?: Partial<CliDeps> },
): Promise<CliRun> {
  const stdout = collector();
  const stderr = collector();
  const stdin = typeof options.stdin === 'object' ? options.stdin : Readable.from([options.stdin ?? '']);
  const code = await runCli(argv, { stdin, stdout: stdout.stream, stderr: stderr.stream }, {
    catalog: moduleCatalog,
    env: options.env ?? {},
    cwd: options.cwd,
    version: '9.9.9-test',
    ...options.deps,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
