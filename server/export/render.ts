/**
 * Runs pdfmake's layout on a Vorlage definition and returns the PDF bytes
 * with their SHA-256. Synchronous and CPU-bound for hundreds of milliseconds
 * on long dossiers: call it from the export worker (worker.ts), never on the
 * server's event loop.
 */
import { createHash } from 'node:crypto';
import { cleanText } from '../../dossier/text';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pdfmake, { type PdfKitDocument } from 'pdfmake';
import './justify';
import { vorlageDocument, type VorlageInput } from './pdf';
import { FONT } from './styles';

/**
 * Roboto as shipped inside pdfmake (Apache License 2.0, see
 * node_modules/pdfmake/fonts): it covers German text, „ “ – € and CO₂.
 * Its version is fixed by the lockfile, as the byte-identical exports require.
 */
const fontDirectory = join(dirname(createRequire(import.meta.url).resolve('pdfmake/package.json')), 'fonts', 'Roboto');
const fontFiles = {
  normal: join(fontDirectory, 'Roboto-Regular.ttf'),
  bold: join(fontDirectory, 'Roboto-Medium.ttf'),
  italics: join(fontDirectory, 'Roboto-Italic.ttf'),
  bolditalics: join(fontDirectory, 'Roboto-MediumItalic.ttf'),
};

// pdfmake keeps one global configuration per module instance (per worker).
pdfmake.setFonts({ [FONT]: fontFiles });
// Nothing is fetched while rendering: the logo arrives as a data URL.
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((path) => path.startsWith(fontDirectory));

export interface RenderedPdf {
  pdf: Uint8Array;
  /** Hex SHA-256 of `pdf`. */
  sha256: string;
}

export async function renderVorlage(input: VorlageInput): Promise<RenderedPdf> {
  const output = pdfmake.createPdf(vorlageDocument(input));
  escapeXmpMetadata(await output.getStream());
  const pdf = await output.getBuffer();
  return { pdf: new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength), sha256: createHash('sha256').update(pdf).digest('hex') };
}

const xmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/** Escaped for XML; what XML cannot hold at all (refused on input, so only older data) is cleaned away. */
const escapeXml = (text: string) => cleanText(text).replace(/[&<>"']/g, (char) => xmlEscapes[char]!);

/**
 * pdfkit 0.19 writes Title, Author, Subject and Keywords unescaped into the
 * XMP packet, so a Betreff with "&" or "<" makes the XMP unparsable and the
 * file fails PDF/A. The Info dictionary must keep the plain text (PDF strings
 * need no XML escaping), so only the XMP writer sees escaped values.
 */
function escapeXmpMetadata(document: PdfKitDocument): void {
  const addInfo = document._addInfo;
  document._addInfo = function (this: PdfKitDocument) {
    const plain = this.info;
    this.info = Object.fromEntries(Object.entries(plain).map(([key, value]) => [key, typeof value === 'string' ? escapeXml(value) : value]));
    try {
      addInfo.call(this);
    } finally {
      this.info = plain;
    }
  };
}
