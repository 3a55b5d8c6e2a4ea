/**
 * What text a Vorlage may hold: the characters XML 1.0 can carry, because
 * the archival PDF/A carries its title in XML (XMP) and the council
 * information systems take Vorlagen as XML (OParl, xdomea). Tab, line feed
 * and carriage return are fine; other control characters, U+FFFE/U+FFFF and
 * lone surrogates are refused wherever text comes in (REST and WebSocket).
 * The web client cleans what users paste first, so nobody meets the refusal.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point: they are refused
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NOT_XML_GLOBAL = new RegExp(NOT_XML.source, 'g');

export const textProblemMessage =
  'Der Text enthält Steuerzeichen oder ungültige Zeichen, die in einer Vorlage nicht stehen können. Bitte den Text neu eingeben statt einzufügen.';

export function hasForbiddenCharacters(text: string): boolean {
  return NOT_XML.test(text);
}

/**
 * Text as it may stand in a Vorlage: Word's soft line break (U+000B) and page
 * break (U+000C) become line breaks, lone surrogates the replacement
 * character, other forbidden characters are dropped.
 */
export function cleanText(text: string): string {
  return text.replace(NOT_XML_GLOBAL, (char) =>
    char === '\u000b' || char === '\u000c' ? '\n' : char.length === 1 && char >= '\ud800' && char <= '\udfff' ? '\ufffd' : '',
  );
}
