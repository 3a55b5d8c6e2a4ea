/**
 * `npm run bench`: runs every `tests/bench/*.bench.ts` in turn (or those named
 * on the command line). Each module's default export runs its benchmark and
 * prints its own table, with a baseline measured in the same run.
 */
import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const dir = new URL('.', import.meta.url);
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => only.length === 0 || only.some((o) => name.includes(o)))
  .sort();

let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  try {
    const module = (await import(pathToFileURL(new URL(file, dir).pathname).href)) as { default: () => Promise<void> };
    await module.default();
  } catch (error) {
    failed += 1;
    console.error(`${file} failed:`, error);
  }
}
process.exit(failed ? 1 : 0);
