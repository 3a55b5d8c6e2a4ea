/**
 * Rendering a stored dossier to PDF bytes in this process: the checksum the
 * export hands out, and file properties that survive any Betreff, so that the
 * final file stays valid PDF/A (whose XMP packet must be well-formed XML).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { XmlDocument } from 'xmldoc';
import { pdfInfo, renderDossier, xmpPacket } from './support';

/** The text of the first XMP element at `path` (e.g. "dc:title.rdf:Alt.rdf:li") in any rdf:Description. */
function xmpValue(pdf: Uint8Array, path: string): string | undefined {
  const descriptions = new XmlDocument(xmpPacket(pdf)).childNamed('rdf:RDF')?.childrenNamed('rdf:Description') ?? [];
  return descriptions.map((description) => description.descendantWithPath(path)).find(Boolean)?.val;
}

describe('rendering a Vorlage', () => {
  it('hands out the hex SHA-256 of exactly the bytes it returns', async () => {
    const { pdf, sha256 } = await renderDossier({}, { title: 'Prüfsumme' });
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes a Betreff with & < > " and \' into the XMP metadata as well-formed XML, and plainly into the document info', async () => {
    const title = `Kosten & Nutzen <Labor> "Kreative Köpfe" '2027'`;
    const { pdf } = await renderDossier({}, { title, mode: 'final', cityName: 'Stadt Muster & Beispiel' });
    const packet = xmpPacket(pdf);
    expect(packet).toContain('Kosten &amp; Nutzen &lt;Labor&gt; &quot;Kreative Köpfe&quot; &apos;2027&apos;');
    // read back by an XML parser, the XMP says what the document info says, character for character
    expect(xmpValue(pdf, 'dc:title.rdf:Alt.rdf:li')).toBe(title);
    expect(pdfInfo(pdf).Title).toBe(title);
    expect(xmpValue(pdf, 'pdf:Keywords')).toBe(pdfInfo(pdf).Keywords);
    expect(xmpValue(pdf, 'pdf:Keywords')).toContain('Stadt Muster & Beispiel');
    // what needs no escaping stays as it is
    expect(xmpValue(pdf, 'dc:creator.rdf:Seq.rdf:li')).toBe(pdfInfo(pdf).Author);
    expect(xmpValue(pdf, 'xmp:CreatorTool')).toBe(pdfInfo(pdf).Creator);
  });

  it('drops from the XMP metadata a control character older data may still hold, which XML cannot carry', async () => {
    const { pdf } = await renderDossier({}, { title: 'Alt\u0001bestand', mode: 'final' });
    expect(xmpValue(pdf, 'dc:title.rdf:Alt.rdf:li')).toBe('Altbestand');
  });
});
