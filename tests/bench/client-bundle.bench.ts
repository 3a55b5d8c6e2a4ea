/**
 * Size of the web client as a browser downloads it: the gzipped entry chunk,
 * everything the first page (the dossier list) loads with it, and the chunks
 * loaded only when a dossier is opened (the editor stack), from a production build.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { builtClient, firstPageChunks } from '../browser/support';

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export default async function clientBundle(): Promise<void> {
  const dir = builtClient();
  const { entry, chunks: firstPage } = firstPageChunks(dir);
  const assets = join(dir, 'assets');
  const rows = readdirSync(assets)
    .filter((name) => name.endsWith('.js') || name.endsWith('.css'))
    .map((name) => {
      const bytes = readFileSync(join(assets, name));
      const loaded = name.endsWith('.css') || firstPage.includes(name) ? 'first page' : 'dossier page';
      return { chunk: name === entry ? `${name} (entry)` : name, loaded, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    })
    .sort((a, b) => a.loaded.localeCompare(b.loaded) || b.gzip - a.gzip);
  console.table(rows.map((row) => ({ chunk: row.chunk, loaded: row.loaded, raw: kib(row.raw), gzip: kib(row.gzip) })));
  const sum = (loaded: string) => rows.filter((row) => row.loaded === loaded).reduce((total, row) => total + row.gzip, 0);
  const entryGzip = rows.find((row) => row.chunk.endsWith('(entry)'))!.gzip;
  console.log(
    `entry chunk (gzip): ${kib(entryGzip)}; first page in all (gzip, with React and CSS): ${kib(sum('first page'))}; loaded when a dossier opens (gzip): ${kib(sum('dossier page'))}`,
  );
}
