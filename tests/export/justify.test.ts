import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import '../../server/export/justify';

/**
 * The patched ElementWriter.alignLine of pdfmake, run on pdfmake's own Line
 * with the inlines its text layout makes: one per word (trailing space
 * included) and one per piece after a break opportunity such as "-".
 */
interface Inline {
  text: string;
  width: number;
  alignment?: string;
  x?: number;
  justifyShift?: number;
  lineEnd?: boolean;
}
interface PdfLine {
  inlines: Inline[];
  x?: number;
  lastLineInParagraph?: boolean;
  addInline(inline: Inline): void;
}
const require = createRequire(import.meta.url);
const { default: Line } = require('pdfmake/js/Line') as { default: new (maxWidth: number) => PdfLine };
const { default: ElementWriter } = require('pdfmake/js/ElementWriter') as {
  default: new (context: { availableWidth: number }) => { alignLine(line: PdfLine): void };
};

const WIDTH = 200;

function layOut(pieces: [string, number][], alignment = 'justify', options: { last?: boolean } = {}) {
  const line = new Line(WIDTH);
  for (const [text, width] of pieces) line.addInline({ text, width, alignment });
  if (options.last) line.lastLineInParagraph = true;
  new ElementWriter({ availableWidth: WIDTH }).alignLine(line);
  return line;
}
const positions = (line: PdfLine) => line.inlines.map((inline) => inline.x);

describe('justified lines', () => {
  it('widens only the gaps after a space, so "Smart-City-Strategie" stays one word', () => {
    // 140 of 200 points used: the 60 spare points go to the two spaces, 30 each
    const line = layOut([
      ['Die ', 30],
      ['Smart-', 40],
      ['City-', 30],
      ['Strategie ', 20],
      ['gilt', 20],
    ]);
    expect(positions(line)).toEqual([0, 60, 100, 130, 180]);
    // the pieces of the hyphenated word keep touching each other
    expect(line.inlines[2]!.x).toBe(line.inlines[1]!.x! + 40);
    expect(line.inlines.map((inline) => inline.justifyShift)).toEqual([undefined, 30, undefined, undefined, 30]);
    // the last word ends at the right margin
    expect(line.inlines[4]!.x! + 20).toBe(WIDTH);
  });

  it('does not count a space inside an inline (a non-breaking space in "S. 12-14") as a gap', () => {
    const line = layOut([
      ['siehe ', 40],
      ['S.\u00a012-', 40],
      ['14', 20],
    ]);
    expect(positions(line)).toEqual([0, 140, 180]);
  });

  it('leaves a justified line without any space as it is', () => {
    const line = layOut([
      ['Verwaltungs-', 80],
      ['vorschrift', 60],
    ]);
    expect(positions(line)).toEqual([0, 80]);
    expect(line.inlines.every((inline) => inline.justifyShift === undefined)).toBe(true);
  });

  it('does not widen the last line of a paragraph or a line ended by a hard break', () => {
    expect(
      positions(
        layOut(
          [
            ['Ende ', 30],
            ['des ', 30],
            ['Absatzes', 40],
          ],
          'justify',
          { last: true },
        ),
      ),
    ).toEqual([0, 30, 60]);
    const line = new Line(WIDTH);
    line.addInline({ text: 'Zeile ', width: 40, alignment: 'justify' });
    line.addInline({ text: 'eins', width: 30, alignment: 'justify', lineEnd: true });
    new ElementWriter({ availableWidth: WIDTH }).alignLine(line);
    expect(positions(line)).toEqual([0, 40]);
  });

  it('keeps pdfmake’s own alignment of lines that are not justified', () => {
    const right = layOut(
      [
        ['rechts ', 40],
        ['bündig', 60],
      ],
      'right',
    );
    expect(right.x).toBe(100);
    expect(positions(right)).toEqual([0, 40]);
    const left = layOut(
      [
        ['links ', 40],
        ['bündig', 60],
      ],
      'left',
    );
    expect(left.x).toBeUndefined();
    expect(positions(left)).toEqual([0, 40]);
  });

  it('accepts a line without inlines', () => {
    const line = new Line(WIDTH);
    expect(() => new ElementWriter({ availableWidth: WIDTH }).alignLine(line)).not.toThrow();
    expect(line.x).toBeUndefined();
  });
});
