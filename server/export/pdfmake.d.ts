/** Server-side pdfmake 0.3 (CommonJS singleton), as far as Ratsdossier calls it. */
declare module 'pdfmake' {
  export interface FontFiles {
    normal: string;
    bold: string;
    italics: string;
    bolditalics: string;
  }

  /** The pdfkit document pdfmake laid out, before `end()` writes the trailer. */
  export interface PdfKitDocument {
    _addInfo(): void;
    info: Record<string, unknown>;
  }

  export interface OutputDocument {
    getStream(): Promise<PdfKitDocument>;
    getBuffer(): Promise<Buffer>;
  }

  interface PdfMake {
    setFonts(fonts: Record<string, FontFiles>): void;
    setUrlAccessPolicy(policy: (url: string) => boolean): void;
    setLocalAccessPolicy(policy: (path: string) => boolean): void;
    /** `definition` is a DocumentDefinition (pdfmake-types.ts); an ambient module cannot import it. */
    createPdf(definition: object): OutputDocument;
  }

  const pdfmake: PdfMake;
  export default pdfmake;
}
