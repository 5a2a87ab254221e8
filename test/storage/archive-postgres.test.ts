/**
 * The PostgreSQL driver's archives against the archive contract every driver shares, on a real
 * PostgreSQL started for this file (test/helpers/postgres-cluster.ts). Each test gets a driver
 * of its own and a host name of its own, so it starts from empty archives.
 */
import { afterAll, beforeAll } from '@jest/globals';
import { createPostgresDriver } from '../../server/storage/index.js';
import { describeArchiveContract } from '../helpers/archive-contract.js';
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgres-cluster.js';

let cluster: PostgresCluster;
let hosts = 0;

beforeAll(async () => {
  cluster = await startPostgresCluster();
}, 30_000);

afterAll(async () => {
  await cluster?.stop();
});

describeArchiveContract('postgres', async () => {
  const driver = createPostgresDriver({
    driver: 'PostgreSQL', host: cluster.host, port: cluster.port,
    username: cluster.user, password: cluster.password, database: cluster.database,
  });
  hosts++;
  return { store: driver.openArchive(`host${hosts}.localhost`, 'archive'), close: () => driver.close() };
});
