#!/usr/bin/env node
/**
 * Checks the deployment files (docs/deployment.md) as far as this machine allows:
 *   1. docs/deploy/salon.service: the keys the documentation promises, then `systemd-analyze
 *      verify` when systemd-analyze is installed.
 *   2. Dockerfile: its shape (stages, non-root user, volume, ports, a health check run by node).
 *   3. With a Docker engine (`docker info` succeeds): builds the image, runs it and waits until
 *      Docker reports it healthy. Without one: replays the Dockerfile. The build stage's RUN
 *      commands run in a copy of the build context; the runtime stage is assembled in a
 *      directory standing for the image's file system (production dependencies and dist/ only),
 *      its CMD starts as the unprivileged user nobody (as `runuser -u nobody` would) with its ENV, and its
 *      HEALTHCHECK command runs until it passes (and must fail once the server has stopped).
 *
 * Usage: node scripts/check-deploy.mjs [--reuse-build]
 *   --reuse-build  the build stage's results are taken from this checkout (its node_modules and
 *                  dist/, built beforehand) instead of running its RUN commands: seconds instead
 *                  of minutes. The runtime stage is replayed either way.
 * Prints one line per check ("ok", "unavailable", "emulated", "FAILED") and, last, a line
 * `RESULT {json}`; exits 1 when a check that could run failed.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDockerfile, stageByName } from './dockerfile-parse.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const reuseBuild = process.argv.includes('--reuse-build');
const results = {};
let failed = false;

function report(part, status, message) {
  results[part] = status;
  if (status === 'failed') failed = true;
  const label = { passed: 'ok', unavailable: 'unavailable', emulated: 'emulated', failed: 'FAILED' }[status];
  console.log(`${label}: ${part}: ${message}`);
}

const started = performance.now();

function note(message) {
  console.log(`  - [${((performance.now() - started) / 1000).toFixed(1)} s] ${message}`);
}

function commandWorks(command, args) {
  const run = spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 });
  return run.status === 0;
}

// ---------------------------------------------------------------------------------- systemd unit

const UNIT_PROMISES = [
  ['Service', 'User', 'salon'], ['Service', 'ExecReload', '/bin/kill -HUP $MAINPID'], ['Service', 'NoNewPrivileges', 'yes'],
  ['Service', 'ProtectSystem', 'strict'], ['Service', 'ReadWritePaths', '/var/lib/salon'], ['Service', 'KillSignal', 'SIGTERM'],
  ['Service', 'Type', 'exec'], ['Install', 'WantedBy', 'multi-user.target'],
];

function checkUnit() {
  const path = join(ROOT, 'docs', 'deploy', 'salon.service');
  const sections = new Map();
  let section = '';
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const header = /^\[(\w+)\]$/.exec(line.trim());
    if (header !== null) section = header[1];
    const entry = /^(\w+)=(.*)$/.exec(line.trim());
    if (entry !== null) sections.set(`${section}.${entry[1]}`, [...(sections.get(`${section}.${entry[1]}`) ?? []), entry[2]]);
  }
  const missing = UNIT_PROMISES.filter(([s, key, value]) => !(sections.get(`${s}.${key}`) ?? []).includes(value));
  if (missing.length > 0) report('unit-keys', 'failed', `missing ${missing.map(([s, k, v]) => `[${s}] ${k}=${v}`).join(', ')}`);
  else report('unit-keys', 'passed', `${UNIT_PROMISES.length} documented settings present`);
  if (!commandWorks('systemd-analyze', ['--version'])) {
    report('systemd-analyze', 'unavailable', 'systemd-analyze is not installed; only the keys were checked');
    return;
  }
  const verify = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8', timeout: 30_000 });
  const output = `${verify.stdout}${verify.stderr}`.trim();
  if (verify.status === 0 && output === '') report('systemd-analyze', 'passed', 'systemd-analyze verify: no problem');
  else report('systemd-analyze', 'failed', `systemd-analyze verify (exit ${verify.status}): ${output}`);
}

// ---------------------------------------------------------------------------------- Dockerfile

function checkDockerfileShape(stages) {
  const problems = [];
  const runtime = stages.at(-1);
  const first = stages[0];
  if (stages.length < 2) problems.push('one stage only (expected build and runtime stages)');
  const of = (stage, name) => stage.instructions.filter((i) => i.name === name);
  const user = of(runtime, 'USER').at(-1)?.args;
  if (user === undefined || user === 'root' || user === '0') problems.push('the runtime stage runs as root');
  if (of(runtime, 'VOLUME').length === 0) problems.push('no VOLUME for the data directory');
  const exposed = of(runtime, 'EXPOSE').flatMap((i) => i.args.split(/\s+/));
  for (const port of ['5222', '5223', '5280', '5281']) if (!exposed.includes(port)) problems.push(`port ${port} not exposed`);
  const health = of(runtime, 'HEALTHCHECK').at(-1);
  if (health === undefined) problems.push('no HEALTHCHECK');
  else if (health.exec?.[0] !== 'node' || /curl|wget/.test(health.args)) problems.push('the HEALTHCHECK does not run node itself');
  const fromBuild = of(runtime, 'COPY').filter((i) => i.args.includes(`--from=${first.name}`));
  if (fromBuild.length === 0) problems.push('the runtime stage copies nothing from the build stage');
  if (of(runtime, 'RUN').some((i) => /npm ci(?![^&]*--omit=dev)/.test(i.args))) problems.push('the runtime stage installs dev dependencies');
  if (problems.length > 0) report('dockerfile-shape', 'failed', problems.join('; '));
  else report('dockerfile-shape', 'passed', `${stages.length} stages (${stages.map((s) => s.name).join(' → ')}), runtime user ${user}`);
}

// ---------------------------------------------------------------------------------- Docker engine

async function checkWithDocker() {
  const tag = `salon-deploy-check:${process.pid}`;
  execFileSync('docker', ['build', '-t', tag, ROOT], { stdio: 'inherit' });
  const id = execFileSync('docker', ['run', '-d', '-P', tag], { encoding: 'utf8' }).trim();
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const status = execFileSync('docker', ['inspect', '--format', '{{.State.Health.Status}}', id], { encoding: 'utf8' }).trim();
      if (status === 'healthy') return report('docker', 'passed', `image ${tag} built, container healthy`);
      if (status === 'unhealthy' || Date.now() > deadline) return report('docker', 'failed', `container ${status}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    spawnSync('docker', ['rm', '-f', id], { stdio: 'ignore' });
    spawnSync('docker', ['rmi', tag], { stdio: 'ignore' });
  }
}

// ---------------------------------------------------------------------------------- emulation

/** The build context as `COPY . .` sees it: the checkout minus what .dockerignore names. */
function copyContext(target) {
  const patterns = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const matchers = patterns.map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`));
  const ignored = (name) => matchers.some((m) => m.test(name));
  cpSync(ROOT, target, { recursive: true, filter: (source) => source === ROOT || !relative(ROOT, source).split('/').some(ignored) });
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

function runShell(command, cwd) {
  note(`RUN ${command}`);
  execFileSync('sh', ['-c', command], { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Replays the build stage; returns the directory standing for its WORKDIR. */
function emulateBuildStage(stage, context, root) {
  const workdir = join(root, stage.instructions.find((i) => i.name === 'WORKDIR')?.args ?? '/');
  mkdirSync(workdir, { recursive: true });
  for (const instruction of stage.instructions) {
    if (instruction.name === 'COPY' && reuseBuild && instruction.args.split(/\s+/)[0] === '.') {
      note(`not copied (--reuse-build: nothing runs on it): COPY ${instruction.args}`);
    } else if (instruction.name === 'COPY') {
      copyInto(instruction, context, workdir, root, undefined);
    }
    if (instruction.name !== 'RUN') continue;
    if (/npm install --global/.test(instruction.args)) {
      note(`not run (it would change this machine's npm): ${instruction.args}; npm here is ${execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim()}`);
    } else if (reuseBuild) {
      note(`not run (--reuse-build): ${instruction.args}`);
    } else {
      runShell(instruction.args, workdir);
    }
  }
  if (reuseBuild) {
    if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('--reuse-build needs a built checkout (dist/cli.js): run npm run build first');
    symlinkSync(join(ROOT, 'dist'), join(workdir, 'dist'), 'dir');
    note('dist/ taken from this checkout (--reuse-build)');
  }
  return workdir;
}

/** `COPY [--from=stage] src... dest` into the emulated file system under `root`. */
function copyInto(instruction, context, workdir, root, buildWorkdir) {
  const words = instruction.args.split(/\s+/);
  const from = words.find((w) => w.startsWith('--from='));
  const paths = words.filter((w) => !w.startsWith('--'));
  const destination = paths.pop();
  const target = destination.startsWith('/') ? join(root, destination) : join(workdir, destination);
  for (const source of paths) {
    const origin = from === undefined ? join(context, source) : join(buildWorkdir, relative('/app', source));
    const into = target.endsWith('/') || paths.length > 1 || (existsSync(target) && statSync(target).isDirectory()) ? join(target, source === '.' ? '' : source.split('/').pop()) : target;
    mkdirSync(dirname(into), { recursive: true });
    // Source maps and declarations are in the image too, but nothing runs them: not copied here
    // (thousands of small files cost seconds to write and remove on a busy disk).
    cpSync(origin, into, { recursive: true, dereference: true, filter: (file) => !/\.(map|d\.ts)$/.test(file) });
  }
}

/**
 * The production dependencies, as `npm ci --omit=dev` lays them out: the lock file's entries not
 * marked `dev` (optional platform packages only where this machine has them), copied from this
 * checkout's node_modules.
 */
function copyProductionDependencies(workdir) {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  const top = new Set(Object.entries(lock.packages ?? {})
    .filter(([path, entry]) => path.startsWith('node_modules/') && entry.dev !== true)
    .map(([path]) => path.slice('node_modules/'.length).split('/node_modules/')[0])
    .filter((name) => existsSync(join(ROOT, 'node_modules', name))));
  // Linked, not copied (seconds saved): a package that dist/ imports and the lock file marks
  // as dev is still missing here, which is what this step checks.
  for (const name of top) {
    mkdirSync(dirname(join(workdir, 'node_modules', name)), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), join(workdir, 'node_modules', name), 'dir');
  }
  return top.size;
}

/** Every directory from `root` up to /tmp readable by others (mkdtemp makes them private). */
function openUp(path) {
  for (let dir = path; dir.startsWith(tmpdir()) && dir !== tmpdir(); dir = dirname(dir)) chmodSync(dir, 0o755);
}

function nobodyIds() {
  try {
    return { uid: Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' })) };
  } catch {
    return undefined; // no such user: the server runs as the current user (reported)
  }
}

async function emulateRuntimeStage(stage, context, buildWorkdir, root) {
  const workdir = join(root, stage.instructions.find((i) => i.name === 'WORKDIR')?.args ?? '/');
  mkdirSync(workdir, { recursive: true });
  const env = {};
  const mapPath = (value) => (value.startsWith('/') && !value.startsWith('/usr/') && !value.startsWith('/bin/') ? join(root, value) : value);
  for (const instruction of stage.instructions) {
    if (instruction.name === 'ENV') for (const [key, value] of instruction.env) env[key] = mapPath(value);
    if (instruction.name === 'COPY') copyInto(instruction, context, workdir, root, buildWorkdir);
    if (instruction.name === 'RUN') emulateRuntimeRun(instruction.args, workdir, root);
  }
  const volume = JSON.parse(stage.instructions.find((i) => i.name === 'VOLUME').args)[0];
  const dataDir = join(root, volume);
  const nobody = process.getuid?.() === 0 ? nobodyIds() : undefined;
  if (nobody !== undefined) chownSync(dataDir, nobody.uid, nobody.gid);
  openUp(dataDir);
  openUp(workdir);
  return { workdir, env, dataDir, nobody };
}

function emulateRuntimeRun(command, workdir, root) {
  if (/npm install --global/.test(command)) return note(`not run (it would change this machine's npm): ${command}`);
  if (/npm ci/.test(command)) {
    if (reuseBuild) {
      const count = copyProductionDependencies(workdir);
      return note(`emulated "${command}": ${count} production packages (package-lock.json entries not marked dev) linked from this checkout; npm cache clean not run`);
    }
    return runShell('npm ci --omit=dev --ignore-scripts --prefer-offline', workdir);
  }
  if (/useradd|groupadd/.test(command)) {
    for (const dir of command.match(/mkdir -p ([^&]+)/)?.[1].trim().split(/\s+/) ?? []) mkdirSync(join(root, dir), { recursive: true });
    return note(`emulated "${command.replace(/\s+/g, ' ')}": directories made; the user is "nobody" (no user is added to this machine)`);
  }
  runShell(command, workdir);
}

/** Runs as `nobody` (what `runuser -u nobody` does, without a process between us and the server). */
function spawnAs(nobody, command, args, options) {
  return spawn(command, args, nobody === undefined ? options : { ...options, uid: nobody.uid, gid: nobody.gid });
}

function runHealthCheck(health, runtime, env) {
  return new Promise((resolveRun) => {
    const [command, ...args] = health.exec;
    const check = spawnAs(runtime.nobody, command === 'node' ? process.execPath : command, args, { cwd: runtime.workdir, env, stdio: 'ignore' });
    const timer = setTimeout(() => check.kill('SIGKILL'), 5_000);
    check.on('exit', (code) => {
      clearTimeout(timer);
      resolveRun(code);
    });
  });
}

async function emulate(stages) {
  const root = mkdtempSync(join(tmpdir(), 'salon-deploy-'));
  try {
    // The build context: a copy without what .dockerignore names; with --reuse-build, whose build
    // stage copies nothing but package files, the checkout itself.
    const context = reuseBuild ? ROOT : join(root, 'context');
    if (!reuseBuild) copyContext(context);
    const buildWorkdir = emulateBuildStage(stages[0], context, join(root, 'build'));
    const runtime = await emulateRuntimeStage(stages.at(-1), context, buildWorkdir, join(root, 'image'));
    const ports = { SALON_C2S_PORT: await freePort(), SALON_C2S_DIRECT_TLS_PORT: await freePort(), SALON_HTTP_PORT: await freePort(), SALON_HTTPS_PORT: await freePort() };
    note(`the image's ports are mapped to free ports here: ${JSON.stringify(ports)}`);
    const env = { PATH: process.env.PATH, HOME: runtime.dataDir, ...runtime.env, SALON_DATA_PATH: runtime.dataDir, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
    const cmd = JSON.parse(stages.at(-1).instructions.findLast((i) => i.name === 'CMD').args);
    const user = runtime.nobody === undefined ? `uid ${process.getuid?.()} (not root: cannot switch user)` : `nobody (uid ${runtime.nobody.uid})`;
    const server = spawnAs(runtime.nobody, cmd[0] === 'node' ? process.execPath : cmd[0], cmd.slice(1), { cwd: runtime.workdir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    server.stdout.on('data', (chunk) => (output += chunk));
    server.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise((r) => server.on('exit', (code, signal) => r(code ?? signal)));
    const launched = Date.now();
    const health = stages.at(-1).instructions.findLast((i) => i.name === 'HEALTHCHECK');
    const deadline = Date.now() + 40_000;
    let healthy = false;
    let attempts = 0;
    while (!healthy && Date.now() < deadline && server.exitCode === null) {
      attempts++;
      healthy = (await runHealthCheck(health, runtime, env)) === 0;
      if (!healthy) await new Promise((r) => setTimeout(r, 250));
    }
    const healthyAfter = Date.now() - launched;
    note(`health check ${healthy ? 'passed' : 'never passed'}; stopping the server (SIGTERM)`);
    server.kill('SIGTERM');
    const code = await exited;
    const afterStop = await runHealthCheck(health, runtime, env);
    note('stopped; the health check run once more');
    const files = readdirSync(runtime.dataDir);
    const owners = new Set(files.map((f) => statSync(join(runtime.dataDir, f)).uid));
    const problems = [];
    if (!healthy) problems.push(`the HEALTHCHECK never passed (${attempts} attempts); server output:\n${output}`);
    if (code !== 0) problems.push(`the server exited with ${code} on SIGTERM`);
    if (afterStop === 0) problems.push('the HEALTHCHECK passed with the server stopped');
    if (files.includes('salon.pid')) problems.push('the pidfile was left behind');
    if (runtime.nobody !== undefined && [...owners].some((uid) => uid !== runtime.nobody.uid)) problems.push('files in the volume not owned by the unprivileged user');
    if (problems.length > 0) report('image-emulation', 'failed', problems.join('; '));
    else report('image-emulation', 'emulated', `runtime CMD ran as ${user}; HEALTHCHECK passed after ${attempts} attempt(s) (${healthyAfter} ms), failed once stopped; SIGTERM exit 0; volume holds ${files.join(', ')}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
    note('temporary directories removed');
  }
}

// ---------------------------------------------------------------------------------- main

checkUnit();
const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
checkDockerfileShape(stages);
if (stageByName(stages, 'build') === undefined) report('dockerfile-stages', 'failed', 'no stage named "build"');
try {
  if (commandWorks('docker', ['info'])) await checkWithDocker();
  else {
    report('docker', 'unavailable', 'no Docker engine (docker info fails); the Dockerfile is replayed instead');
    await emulate(stages);
  }
} catch (error) {
  report('image', 'failed', error instanceof Error ? error.message : String(error));
}
console.log(`RESULT ${JSON.stringify(results)}`);
process.exitCode = failed ? 1 : 0;
