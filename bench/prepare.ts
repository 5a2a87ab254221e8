/**
 * Makes the accounts of every scenario once, for many runs of `bench/run.ts`: Salon's data directory
 * through `salon import` (needs `npm run build`), Prosody's data files and certificate, or
 * ejabberd's Mnesia (loaded by one run of ejabberd itself) and certificate. Prints one JSON line
 * with the time it took.
 * Run: node node_modules/jiti/lib/jiti-cli.mjs bench/prepare.ts --target salon|prosody|ejabberd --dir DIR
 */
import { parseArgs } from 'node:util';
import { prepareEjabberdData } from './support/ejabberd-data.js';
import { prepareProsodyData } from './support/prosody-data.js';
import { prepareSalonData } from './support/salon-data.js';
import { accountsFor, SCENARIO_NAMES } from './support/scenarios.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { target: { type: 'string', default: 'salon' }, dir: { type: 'string' } } });
  if (values.dir === undefined || !['salon', 'prosody', 'ejabberd'].includes(values.target)) {
    process.stderr.write('Usage: bench/prepare.ts --target salon|prosody|ejabberd --dir DIR\n');
    process.exitCode = 2;
    return;
  }
  const accounts = accountsFor(SCENARIO_NAMES);
  const accountCount = accounts.plain + accounts.withRoster;
  if (values.target === 'salon') {
    const prepared = await prepareSalonData(values.dir, accounts);
    process.stdout.write(`${JSON.stringify({ target: 'salon', step: 'import', accounts: accountCount, rosters: accounts.withRoster, rosterSize: accounts.rosterSize, seconds: prepared.importSeconds, dataPath: prepared.dataPath, summary: prepared.summary })}\n`);
  } else if (values.target === 'ejabberd') {
    const prepared = await prepareEjabberdData(values.dir, accounts);
    process.stdout.write(`${JSON.stringify({
      target: 'ejabberd', step: 'mnesia import', accounts: accountCount, rosters: accounts.withRoster, rosterSize: accounts.rosterSize,
      seconds: Math.round((prepared.deriveSeconds + prepared.importSeconds) * 10) / 10, deriveSeconds: Math.round(prepared.deriveSeconds * 10) / 10,
      importSeconds: Math.round(prepared.importSeconds * 10) / 10, summary: prepared.summary, dir: values.dir,
    })}\n`);
  } else {
    const seconds = await prepareProsodyData(values.dir, accounts);
    process.stdout.write(`${JSON.stringify({ target: 'prosody', step: 'data files', accounts: accountCount, rosters: accounts.withRoster, rosterSize: accounts.rosterSize, seconds: Math.round(seconds * 10) / 10, dir: values.dir })}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`prepare failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
