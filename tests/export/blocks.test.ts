/**
 * The small building blocks of the Vorlage PDF as pdfmake receives them: the
 * style names they use must be styles the document defines (pdfmake ignores
 * an unknown name silently), and the layout flags are what keeps a short
 * list of options or a label on the page of what belongs to it.
 */
import { describe, expect, it } from 'vitest';
import { checkbox, checkboxList, germanDate, germanDateTime, labelled, placeholder } from '../../server/export/blocks';
import { plainLayout, styles } from '../../server/export/styles';

describe('PDF building blocks', () => {
  it('sets a missing entry of a draft as a paragraph in the grey italic placeholder style', () => {
    expect(placeholder('Keine Anlagen.')).toEqual({ text: 'Keine Anlagen.', style: ['paragraph', 'placeholder'] });
    expect(styles.placeholder).toMatchObject({ italics: true, color: expect.any(String) });
    expect(styles.paragraph).toBeDefined();
  });

  it('outlines a check box in black, whether checked or not', () => {
    for (const checked of [false, true]) {
      expect(checkbox(checked).canvas[0]).toEqual({ type: 'rect', x: 0, y: 2, w: 7.5, h: 7.5, lineWidth: 0.75, lineColor: '#000000' });
    }
  });

  it('crosses a checked box corner to corner inside its outline, and leaves an unchecked one empty', () => {
    expect(checkbox(false).canvas).toHaveLength(1);
    // the box spans x 0–7.5 and y 2–9.5; the cross keeps 1.5 pt off each side
    expect(checkbox(true).canvas.slice(1)).toEqual([
      { type: 'line', x1: 1.5, y1: 3.5, x2: 6, y2: 8, lineWidth: 1.1 },
      { type: 'line', x1: 6, y1: 3.5, x2: 1.5, y2: 8, lineWidth: 1.1 },
    ]);
  });

  it('lists options as check box and label in two columns without lines, the chosen one in bold, never split over two pages', () => {
    const list = checkboxList([
      { label: 'Mittel sind im Haushalt vorhanden', checked: false },
      { label: 'überplanmäßige Ausgabe', checked: true },
    ]);
    expect(list).toEqual({
      stack: [
        {
          table: {
            // a fixed narrow column for the box, the rest of the line for the label
            widths: [12, '*'],
            dontBreakRows: true,
            body: [
              [checkbox(false), { text: 'Mittel sind im Haushalt vorhanden', bold: false }],
              [checkbox(true), { text: 'überplanmäßige Ausgabe', bold: true }],
            ],
          },
          layout: plainLayout,
        },
      ],
      unbreakable: true,
      style: 'block',
    });
    expect(styles.block).toBeDefined();
  });

  it('puts a bold label above its content, kept with it as a level-4 heading, with room above and below', () => {
    const content = [{ text: 'Ab 2029 jährlich 145.000 €.' }];
    expect(labelled('Folgekosten', content)).toEqual([
      {
        stack: [{ text: 'Folgekosten', bold: true, headlineLevel: 4, margin: [0, 4, 0, 2] }, { text: 'Ab 2029 jährlich 145.000 €.' }],
        margin: [0, 0, 0, 4],
      },
    ]);
    expect(labelled('Stellungnahme der Kämmerei', [])[0]!.stack).toHaveLength(1);
  });

  it('turns only a text starting with an ISO date into a German date, and leaves a date inside other text alone', () => {
    expect(germanDate('2027-01-20')).toBe('20.01.2027');
    expect(germanDate('Sitzung am 2027-01-20')).toBe('Sitzung am 2027-01-20');
    expect(germanDate('vor 2027-01-20')).toBe('vor 2027-01-20');
  });

  it('writes the time of the stored state as Berlin reads it, summer or winter, and leaves what is no time as it is', () => {
    expect(germanDateTime('2026-07-01T12:05:00.000Z')).toBe('01.07.2026, 14:05 Uhr');
    expect(germanDateTime('2026-12-31T23:30:00.000Z')).toBe('01.01.2027, 00:30 Uhr');
    expect(germanDateTime('unbekannt')).toBe('unbekannt');
    expect(germanDate('')).toBe('');
  });
});
