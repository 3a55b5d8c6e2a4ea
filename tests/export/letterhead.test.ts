/** The letterhead logo is checked at start-up: readable, PNG or JPEG, and without transparency (PDF/A). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { demoContents } from '../../server/demo/labor-der-kreativen-koepfe';
import { loadLetterhead } from '../../server/export/letterhead';
import { pdfObjects, qpdfCheck, renderDossier } from './support';

const dir = mkdtempSync(join(tmpdir(), 'ratsdossier-logo-'));

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
/** A real 1×1 PNG of the given colour type (2 RGB, 6 RGBA), optionally with a tRNS chunk. */
function png(colorType: 2 | 6, transparentColor = false): string {
  return pngFile(`logo-${colorType}-${transparentColor}.png`, pngChunks(colorType, transparentColor));
}
/** The chunks of a real 1×1 PNG of the given colour type, optionally with a tRNS chunk before the image data. */
function pngChunks(colorType: 2 | 6, transparentColor = false): Buffer[] {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header[8] = 8;
  header[9] = colorType;
  const pixel = Buffer.from(colorType === 6 ? [0, 200, 10, 10, 128] : [0, 200, 10, 10]);
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header)];
  if (transparentColor) parts.push(chunk('tRNS', Buffer.from([0, 200, 0, 10, 0, 10])));
  parts.push(chunk('IDAT', deflateSync(pixel)), chunk('IEND', Buffer.alloc(0)));
  return parts;
}
function pngFile(name: string, parts: Buffer[]): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}
const tRNS = () => chunk('tRNS', Buffer.from([0, 200, 0, 10, 0, 10]));

describe('letterhead logo', () => {
  it('accepts an opaque PNG as a data URL', () => {
    const letterhead = loadLetterhead({ cityName: 'Stadt Musterstadt', letterheadLogo: png(2) });
    expect(letterhead.logo).toMatch(/^data:image\/png;base64,/);
  });

  it('puts an accepted logo into a final PDF/A file without bringing transparency along', async () => {
    const { logo } = loadLetterhead({ cityName: 'Stadt Musterstadt', letterheadLogo: png(2) });
    const { pdf } = await renderDossier(demoContents, { mode: 'final', logo });
    qpdfCheck(pdf);
    const objects = pdfObjects(pdf);
    expect(objects).toMatch(/\/Subtype \/Image/);
    expect(objects).not.toMatch(/\/SMask|\/ca 0\./);
  });

  it('refuses PNGs with an alpha channel or a transparent colour, naming the problem', () => {
    for (const path of [png(6), png(2, true)]) {
      expect(() => loadLetterhead({ cityName: 'X', letterheadLogo: path })).toThrow(/PNG mit Transparenz.*PDF\/A/);
    }
  });

  it('refuses files that are no image, and missing files', () => {
    const text = join(dir, 'logo.txt');
    writeFileSync(text, 'kein Bild');
    expect(() => loadLetterhead({ cityName: 'X', letterheadLogo: text })).toThrow(/weder PNG noch JPEG/);
    expect(() => loadLetterhead({ cityName: 'X', letterheadLogo: join(dir, 'fehlt.png') })).toThrow(/nicht lesbar/);
  });

  it('prints the city in text only when no logo is configured', () => {
    expect(loadLetterhead({ cityName: 'Stadt Musterstadt', letterheadLogo: null })).toEqual({ cityName: 'Stadt Musterstadt', logo: null });
    expect(loadLetterhead({ cityName: 'Stadt Musterstadt', letterheadLogo: '' })).toEqual({ cityName: 'Stadt Musterstadt', logo: null });
  });

  it('accepts a JPEG as it is (JPEG has no transparency), whatever its bytes look like to a PNG check', () => {
    // byte 25 is where a PNG keeps its colour type; 6 would mean an alpha channel there
    const bytes = Buffer.alloc(40, 0x20);
    bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
    bytes[25] = 6;
    const path = join(dir, 'logo.jpg');
    writeFileSync(path, bytes);
    expect(loadLetterhead({ cityName: 'Stadt Musterstadt', letterheadLogo: path })).toEqual({
      cityName: 'Stadt Musterstadt',
      logo: `data:image/jpeg;base64,${bytes.toString('base64')}`,
    });
  });

  it('refuses an alpha channel even without a tRNS chunk', () => {
    expect(() => loadLetterhead({ cityName: 'X', letterheadLogo: png(6) })).toThrow(/PNG mit Transparenz/);
    expect(() => loadLetterhead({ cityName: 'X', letterheadLogo: png(2) })).not.toThrow();
  });

  it('looks for tRNS only where PNG allows it, before the image data', () => {
    const [signature, ihdr, idat, iend] = pngChunks(2) as [Buffer, Buffer, Buffer, Buffer];
    // decoders ignore a tRNS after the image data or after the end
    expect(() => loadLetterhead({ cityName: 'X', letterheadLogo: pngFile('late-trns.png', [signature, ihdr, idat, tRNS(), iend]) })).not.toThrow();
    expect(() => loadLetterhead({ cityName: 'X', letterheadLogo: pngFile('after-end.png', [signature, ihdr, iend, tRNS()]) })).not.toThrow();
    expect(() => loadLetterhead({ cityName: 'X', letterheadLogo: pngFile('early-trns.png', [signature, ihdr, tRNS(), idat, iend]) })).toThrow(/Transparenz/);
  });

  it('reads a cut-off PNG to its end without failing, down to a bare chunk header', () => {
    const [signature, ihdr] = pngChunks(2) as [Buffer, Buffer];
    const cut = loadLetterhead({ cityName: 'X', letterheadLogo: pngFile('cut.png', [signature, ihdr]) });
    expect(cut.logo).toMatch(/^data:image\/png;base64,/);
    // the last eight bytes name a tRNS chunk whose data is missing: still a transparent colour announced
    const header = tRNS().subarray(0, 8);
    expect(() => loadLetterhead({ cityName: 'X', letterheadLogo: pngFile('cut-trns.png', [signature, ihdr, header]) })).toThrow(/Transparenz/);
  });
});
