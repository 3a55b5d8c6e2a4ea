/** The letterhead from configuration, read once at start-up so a bad logo stops the server with a clear message. */
import { readFileSync } from 'node:fs';
import type { Letterhead } from './pdf';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

export function loadLetterhead(config: { cityName: string; letterheadLogo: string | null }): Letterhead {
  if (!config.letterheadLogo) return { cityName: config.cityName, logo: null };
  let bytes: Buffer;
  try {
    bytes = readFileSync(config.letterheadLogo);
  } catch (error) {
    throw new Error(`LETTERHEAD_LOGO: ${config.letterheadLogo} ist nicht lesbar (${(error as Error).message})`);
  }
  const type = bytes.subarray(0, PNG.length).equals(PNG) ? 'image/png' : bytes.subarray(0, JPEG.length).equals(JPEG) ? 'image/jpeg' : undefined;
  if (!type) throw new Error(`LETTERHEAD_LOGO: ${config.letterheadLogo} ist weder PNG noch JPEG`);
  if (type === 'image/png' && pngHasTransparency(bytes)) {
    // PDF/A-2b final files must not carry transparency; a soft mask from the logo would break them.
    throw new Error(
      `LETTERHEAD_LOGO: ${config.letterheadLogo} ist ein PNG mit Transparenz, das in PDF/A nicht erlaubt ist. Bitte ein Logo ohne Alphakanal (oder als JPEG) verwenden.`,
    );
  }
  return { cityName: config.cityName, logo: `data:${type};base64,${bytes.toString('base64')}` };
}

/** Colour types 4 and 6 have an alpha channel; a tRNS chunk makes other types transparent. */
function pngHasTransparency(png: Buffer): boolean {
  const colorType = png[25];
  if (colorType === 4 || colorType === 6) return true;
  for (let offset = 8; offset + 8 <= png.length; ) {
    const length = png.readUInt32BE(offset);
    const chunk = png.toString('latin1', offset + 4, offset + 8);
    if (chunk === 'tRNS') return true;
    if (chunk === 'IDAT' || chunk === 'IEND') return false;
    offset += 12 + length;
  }
  return false;
}
