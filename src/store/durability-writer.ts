// Child process for the durability test: writes rows one transaction at a time into a PGlite data
// directory and prints each id only after its COMMIT returned. The test kills it with SIGKILL.
import { sql } from 'kysely';
import { openStore } from './database.ts';

const dataDir = process.argv[2];
const store = await openStore({ databaseUrl: null, dataDir });
await sql`CREATE TABLE IF NOT EXISTS durability (id integer PRIMARY KEY, payload text NOT NULL)`.execute(store.db);
for (let id = 1; ; id++) {
  await sql`INSERT INTO durability (id, payload) VALUES (${id}, ${'x'.repeat(200)})`.execute(store.db);
  process.stdout.write(`${id}\n`);
}
