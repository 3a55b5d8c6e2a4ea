/**
 * Typography and table layouts of the Vorlage: A4 with the margins of a
 * German business letter (DIN 5008: 25 mm left, 20 mm right), one sans-serif
 * family, grey only for secondary text. Plain RGB colours and no opacity, so
 * the final mode stays free of transparency (PDF/A).
 */
import type { Style, TableLayout } from './pdfmake-types';

export const FONT = 'Roboto';
export const LINK_COLOR = '#1a4f8b';
export const MUTED_COLOR = '#555555';
export const RULE_COLOR = '#9a9a9a';
export const HEADER_FILL = '#e8e8e8';
export const TOTAL_FILL = '#f2f2f2';

const mm = (value: number) => (value * 72) / 25.4;
/** left, top, right, bottom */
export const PAGE_MARGINS: [number, number, number, number] = [mm(25), mm(24), mm(20), mm(20)];
export const PAGE_WIDTH = mm(210);
export const TEXT_WIDTH = PAGE_WIDTH - PAGE_MARGINS[0] - PAGE_MARGINS[2];

export const styles: Record<string, Style> = {
  letterheadCity: { fontSize: 17, bold: true },
  letterheadDepartment: { fontSize: 10, color: '#333333' },
  vorlageArt: { fontSize: 15, bold: true },
  label: { fontSize: 8.5, color: MUTED_COLOR },
  betreff: { fontSize: 12.5, bold: true, lineHeight: 1.2 },
  sectionHeading: { fontSize: 12.5, bold: true, margin: [0, 14, 0, 6] },
  subsectionHeading: { fontSize: 11, bold: true, margin: [0, 10, 0, 5] },
  paragraph: { margin: [0, 0, 0, 6] },
  block: { margin: [0, 2, 0, 8] },
  list: { margin: [0, 0, 0, 6] },
  richHeading1: { fontSize: 11, bold: true, margin: [0, 6, 0, 4] },
  richHeading2: { fontSize: 10.5, bold: true, margin: [0, 5, 0, 3] },
  richHeading3: { fontSize: 10.5, bold: true, italics: true, margin: [0, 4, 0, 2] },
  richTable: { fontSize: 9, margin: [0, 2, 0, 8] },
  dataTable: { fontSize: 9, margin: [0, 2, 0, 8] },
  tableHeader: { bold: true, fontSize: 9 },
  total: { bold: true },
  amount: { alignment: 'right' },
  small: { fontSize: 8.5 },
  placeholder: { italics: true, color: MUTED_COLOR },
  furniture: { fontSize: 8, color: MUTED_COLOR },
};

/** Thin grey rules between all cells. */
export const gridLayout: TableLayout = {
  hLineWidth: () => 0.5,
  vLineWidth: () => 0.5,
  hLineColor: () => RULE_COLOR,
  vLineColor: () => RULE_COLOR,
  paddingLeft: () => 4,
  paddingRight: () => 4,
  paddingTop: () => 2.5,
  paddingBottom: () => 2.5,
};

/** Label/value rows of the header block: horizontal rules only. */
export const formLayout: TableLayout = {
  hLineWidth: (row, node) => (row === 0 || row === node.table.body.length ? 0.75 : 0.4),
  vLineWidth: () => 0,
  hLineColor: () => RULE_COLOR,
  paddingLeft: (column) => (column === 0 ? 0 : 6),
  paddingRight: () => 4,
  paddingTop: () => 3,
  paddingBottom: () => 3,
};

/** No lines at all: for aligning text in columns. */
export const plainLayout: TableLayout = {
  hLineWidth: () => 0,
  vLineWidth: () => 0,
  paddingLeft: () => 0,
  paddingRight: () => 6,
  paddingTop: () => 1,
  paddingBottom: () => 1,
};
