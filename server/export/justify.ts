/**
 * Justified text without gaps inside words. pdfmake 0.3.11 spreads the spare
 * width of a justified line over every gap between its inlines, and an inline
 * ends not only at a space but at every break opportunity (after "-" or "/")
 * and at every change of mark: "Smart-City-Strategie" is printed as
 * "Smart- City- Strategie". This widens only the gaps that follow a space.
 * It replaces ElementWriter.alignLine's justify branch of the pinned pdfmake
 * (package-lock); tests/export check the printed words stay whole.
 */
import { createRequire } from 'node:module';

interface LineInline {
  x: number;
  text: string;
  alignment?: string;
  /** Space added before this inline; pdfmake's underline and background drawing read it. */
  justifyShift?: number;
}
interface Line {
  inlines: LineInline[];
  newLineForced?: boolean;
  lastLineInParagraph?: boolean;
  getWidth(): number;
}
interface ElementWriter {
  context(): { availableWidth: number };
  alignLine(line: Line): void;
}

const { default: ElementWriterClass } = createRequire(import.meta.url)('pdfmake/js/ElementWriter') as { default: { prototype: ElementWriter } };
const prototype = ElementWriterClass.prototype;
const alignLine = prototype.alignLine;

prototype.alignLine = function (this: ElementWriter, line: Line) {
  const justified = line.inlines[0]?.alignment === 'justify' && !line.newLineForced && !line.lastLineInParagraph;
  if (!justified) return alignLine.call(this, line);
  const afterSpace = line.inlines.map((_inline, index) => index > 0 && /\s$/.test(line.inlines[index - 1]!.text));
  const gaps = afterSpace.filter(Boolean).length;
  if (gaps === 0) return;
  const extra = (this.context().availableWidth - line.getWidth()) / gaps;
  let shift = 0;
  line.inlines.forEach((inline, index) => {
    if (afterSpace[index]) {
      shift += extra;
      inline.justifyShift = extra;
    }
    inline.x += shift;
  });
};
