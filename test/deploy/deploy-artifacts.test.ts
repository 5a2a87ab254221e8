/**
 * The deployment files checked by scripts/check-deploy.mjs as far as this machine allows: the
 * systemd unit (its documented settings; `systemd-analyze verify` where installed), the
 * Dockerfile's shape, and the image, built and run by Docker where an engine runs, otherwise
 * replayed (runtime stage assembled from production dependencies and dist/, CMD started as
 * nobody, HEALTHCHECK polled until it passes). What could not run is printed, and the parts
 * that could are asserted.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@jest/globals';

const SCRIPT = join(process.cwd(), 'scripts', 'check-deploy.mjs');

function runCheck(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // --reuse-build: this checkout's node_modules and dist/ (built before the tests) stand for
    // the build stage; its RUN commands (npm ci, the TypeScript build) take minutes.
    const child = spawn(process.execPath, [SCRIPT, '--reuse-build'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('the systemd unit and the Dockerfile pass every check this machine can run', async () => {
  const { code, output } = await runCheck();
  const resultLine = output.split('\n').find((line) => line.startsWith('RESULT '));
  expect(resultLine).toBeDefined();
  const results = JSON.parse(resultLine!.slice('RESULT '.length)) as Record<string, string>;
  // Say what ran and what stood in for what could not.
  process.stdout.write(`check-deploy.mjs:\n${output}`);
  expect([code, Object.entries(results).filter(([, status]) => status === 'failed')]).toEqual([0, []]);
  expect(results['unit-keys']).toBe('passed');
  expect(results['dockerfile-shape']).toBe('passed');
  expect(['passed', 'unavailable']).toContain(results['systemd-analyze']);
  // The image itself: built and healthy under Docker, or the replay's health check passed.
  if (results.docker === 'passed') expect(results['image-emulation']).toBeUndefined();
  else expect([results.docker, results['image-emulation']]).toEqual(['unavailable', 'emulated']);
}, 90_000);
