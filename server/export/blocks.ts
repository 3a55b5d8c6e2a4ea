/** Small building blocks shared by the parts of the Vorlage. */
import type { Content, ContentCanvas, ContentStack } from './pdfmake-types';
import { plainLayout } from './styles';

/** An empty field of a draft: visible, so authors see what is missing, and clearly not content. */
export const placeholder = (text: string): Content => ({ text, style: ['paragraph', 'placeholder'] });

/** A drawn check box (the font has no ☐/☒ glyphs), crossed when checked. */
export function checkbox(checked: boolean): ContentCanvas {
  const size = 7.5;
  const top = 2;
  return {
    canvas: [
      { type: 'rect', x: 0, y: top, w: size, h: size, lineWidth: 0.75, lineColor: '#000000' },
      ...(checked
        ? ([
            { type: 'line', x1: 1.5, y1: top + 1.5, x2: size - 1.5, y2: top + size - 1.5, lineWidth: 1.1 },
            { type: 'line', x1: size - 1.5, y1: top + 1.5, x2: 1.5, y2: top + size - 1.5, lineWidth: 1.1 },
          ] as const)
        : []),
    ],
  };
}

/** Options as a column of check boxes; the chosen one is crossed and set in bold. */
/** A short list of options with the chosen one ticked; never split over two pages. */
export function checkboxList(options: { label: string; checked: boolean }[]): Content {
  return {
    stack: [
      {
        table: {
          widths: [12, '*'],
          dontBreakRows: true,
          body: options.map((option) => [checkbox(option.checked), { text: option.label, bold: option.checked }]),
        },
        layout: plainLayout,
      },
    ],
    unbreakable: true,
    style: 'block',
  };
}

/** A small bold label above its content, e.g. "Folgekosten". */
export function labelled(label: string, content: Content[]): ContentStack[] {
  return [{ stack: [{ text: label, bold: true, headlineLevel: 4, margin: [0, 4, 0, 2] }, ...content], margin: [0, 0, 0, 4] }];
}

/** dd.mm.yyyy from an ISO date; '' stays ''. */
export function germanDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  return match ? `${match[3]}.${match[2]}.${match[1]}` : isoDate;
}

const berlinTime = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'Europe/Berlin',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** "18.11.2026, 14:05 Uhr": the stored state's time as the city reads it. */
export function germanDateTime(isoTimestamp: string): string {
  const date = new Date(isoTimestamp);
  return Number.isNaN(date.getTime()) ? isoTimestamp : `${berlinTime.format(date)} Uhr`;
}
