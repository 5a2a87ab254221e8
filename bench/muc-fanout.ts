/**
 * MUC fan-out alone: delivered groupchat stanzas per second and delivery latency for rooms of 10, 50
 * and 200 occupants, against Salon in its own process (memory accounts, pinned to core 0 when
 * possible). The same measurement as `bench/run.ts --scenarios muc-10,muc-50,muc-200`
 * (`support/muc-load.ts`), with the room sizes and senders chosen here. Prints one JSON line per size.
 * Run: npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/muc-fanout.ts [--sizes 10,50,200] [--senders 10] [--duration 5]
 */
import { parseArgs } from 'node:util';
import { BenchTarget } from './support/bench-target.js';
import { placeProcesses } from './support/cpu-placement.js';
import { runMucLoad } from './support/muc-load.js';
import { BenchServer } from './support/server-process.js';

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 10_000) throw new Error(`--${name}: "${text}" is not an integer from 1 to 10000`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    sizes: { type: 'string', default: '10,50,200' }, senders: { type: 'string', default: '10' },
    duration: { type: 'string', default: '5' }, 'no-pin': { type: 'boolean', default: false },
  } });
  const sizes = values.sizes.split(',').map((size) => positive('sizes', size));
  const senders = positive('senders', values.senders);
  const durationSeconds = positive('duration', values.duration);
  const placement = placeProcesses(!values['no-pin']);
  if (placement.note !== undefined) process.stderr.write(`${placement.note}\n`);
  for (const occupants of sizes) {
    process.stderr.write(`room of ${occupants} occupants…\n`);
    const server = await BenchServer.start({ users: occupants, tls: false, muc: true, core: placement.serverCore });
    try {
      const line = await runMucLoad(new BenchTarget(server, 'none'), {
        scenario: `muc-${occupants}`, occupants, senders, mechanism: 'PLAIN', warmupSeconds: 1, durationSeconds,
      });
      process.stdout.write(`${JSON.stringify(line)}\n`);
    } finally {
      await server.stop();
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`muc-fanout failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
