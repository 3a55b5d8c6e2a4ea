/**
 * The part of pdfmake 0.3's document definition that the Vorlage renderer
 * uses. pdfmake ships no types and @types/pdfmake describes the 0.2 API, so
 * the shapes we rely on are written down here, checked against pdfmake's
 * source (node_modules/pdfmake/js).
 */

export type Margins = number | [number, number] | [number, number, number, number];
export type Alignment = 'left' | 'right' | 'center' | 'justify';
export type Decoration = 'underline' | 'lineThrough' | 'overline';

export interface Style {
  font?: string;
  fontSize?: number;
  bold?: boolean;
  italics?: boolean;
  color?: string;
  alignment?: Alignment;
  lineHeight?: number;
  characterSpacing?: number;
  margin?: Margins;
  decoration?: Decoration | Decoration[];
  decorationColor?: string;
  fillColor?: string;
  /** Names of entries in the definition's `styles`. */
  style?: string | string[];
  noWrap?: boolean;
  /** Keeps the node on one page when it fits. */
  unbreakable?: boolean;
  pageBreak?: 'before' | 'after';
}

/** Runs of text inside a paragraph. */
export type Inline = string | InlineText;
export interface InlineText extends Style {
  text: Inline | Inline[];
  link?: string;
}

export interface ContentText extends Style {
  text: Inline | Inline[];
  link?: string;
  /** pdfmake 0.3.5+: adds the line to the PDF outline (bookmarks). */
  outline?: boolean;
  outlineText?: string;
  outlineExpanded?: boolean;
  /** Bookmark id of the parent entry; `id` names this node for children and references. */
  outlineParentId?: string;
  id?: string;
  headlineLevel?: number;
}

export interface ContentStack extends Style {
  stack: Content[];
}

export interface ContentColumns extends Style {
  columns: (Content & { width?: number | string })[];
  columnGap?: number;
}

export interface TableCellProperties {
  colSpan?: number;
  rowSpan?: number;
  fillColor?: string;
  border?: [boolean, boolean, boolean, boolean];
  verticalAlignment?: 'top' | 'middle' | 'bottom';
}
/** An empty object marks a position covered by another cell's colSpan/rowSpan. */
export type TableCell = (Content & TableCellProperties) | Record<string, never>;

export interface TableLayout {
  hLineWidth?: (rowIndex: number, node: { table: { body: unknown[][]; headerRows?: number } }) => number;
  vLineWidth?: (columnIndex: number, node: { table: { widths?: unknown[] } }) => number;
  hLineColor?: (rowIndex: number) => string;
  vLineColor?: (columnIndex: number) => string;
  paddingLeft?: (columnIndex: number) => number;
  paddingRight?: (columnIndex: number) => number;
  paddingTop?: (rowIndex: number) => number;
  paddingBottom?: (rowIndex: number) => number;
  fillColor?: (rowIndex: number) => string | null;
}

export interface ContentTable extends Style {
  table: {
    body: TableCell[][];
    widths?: (number | string)[];
    /** Rows repeated at the top of every page the table continues on. */
    headerRows?: number;
    keepWithHeaderRows?: number;
    dontBreakRows?: boolean;
  };
  layout?: string | TableLayout;
}

export interface ContentList extends Style {
  markerColor?: string;
}
export interface ContentUl extends ContentList {
  ul: Content[];
  type?: 'disc' | 'circle' | 'square' | 'none';
}
export interface ContentOl extends ContentList {
  ol: Content[];
  start?: number;
  type?: 'lower-alpha' | 'upper-alpha' | 'lower-roman' | 'upper-roman' | 'none';
  separator?: string | [string, string];
}

export type CanvasElement =
  | { type: 'line'; x1: number; y1: number; x2: number; y2: number; lineWidth?: number; lineColor?: string }
  | { type: 'rect'; x: number; y: number; w: number; h: number; lineWidth?: number; lineColor?: string; color?: string };
export interface ContentCanvas extends Style {
  canvas: CanvasElement[];
}

export interface ContentImage extends Style {
  image: string;
  fit?: [number, number];
  width?: number;
}

export type Content = string | ContentText | ContentStack | ContentColumns | ContentTable | ContentUl | ContentOl | ContentCanvas | ContentImage | Content[];

export type DynamicContent = (currentPage: number, pageCount: number) => Content;

/** What pdfmake 0.3 tells `pageBreakBefore` about a laid-out node. */
export interface NodeInfo {
  headlineLevel?: number;
  pageNumbers: number[];
  text?: unknown;
  image?: unknown;
  canvas?: unknown;
  /** Where the node starts; `verticalRatio` is its top within the page's content area (0 at the top, 1 at the bottom). */
  startPosition?: { pageNumber: number; verticalRatio: number; pageInnerHeight: number };
}
export type PageBreakBefore = (node: NodeInfo, nodes: { getFollowingNodesOnPage(): NodeInfo[] }) => boolean;

export interface DocumentDefinition {
  pageBreakBefore?: PageBreakBefore;
  content: Content;
  pageSize?: 'A4';
  pageMargins?: [number, number, number, number];
  header?: DynamicContent;
  footer?: DynamicContent;
  watermark?: { text: string; color?: string; opacity?: number; bold?: boolean; italics?: boolean; fontSize?: number; angle?: number };
  defaultStyle?: Style;
  styles?: Record<string, Style>;
  /** BCP 47 language tag, written as /Lang into the catalog. */
  language?: string;
  /** PDF version; '1.7' for PDF/A-2. */
  version?: '1.3' | '1.4' | '1.5' | '1.6' | '1.7' | '1.7ext3';
  subset?: 'PDF/A-2b';
  compress?: boolean;
  displayTitle?: boolean;
  info?: {
    title?: string;
    author?: string;
    subject?: string;
    keywords?: string;
    creator?: string;
    producer?: string;
    creationDate?: Date;
  };
}
