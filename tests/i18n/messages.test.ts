/**
 * The message catalogue as ICU MessageFormat: every message of both locales
 * parses, both locales have the same keys and placeholders, and a count
 * takes the locale's plural form.
 */
import type { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { compile, format, locales, type Locale } from '../../client/i18n/i18n';
import { de, en, type MessageKey } from '../../client/i18n/messages';

type MessageFormatElement = ReturnType<IntlMessageFormat['getAst']>[number];

const keys = Object.keys(de) as MessageKey[];
const localeIds = Object.keys(locales) as Locale[];

/** Element types of the parser's AST (its TYPE enum) that name no value. */
const LITERAL = 0;
const POUND = 7;

/** The placeholder names of a message, with the plural/select branches walked. */
function placeholders(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === LITERAL || element.type === POUND) continue;
    if ('value' in element && typeof element.value === 'string') into.add(element.value);
    if ('options' in element) for (const option of Object.values(element.options)) placeholders(option.value, into);
    if ('children' in element) placeholders(element.children, into);
  }
  return into;
}

describe('the message catalogue', () => {
  it('has the same keys in German and English', () => {
    expect(Object.keys(en).sort()).toEqual([...keys].sort());
  });

  it.each(localeIds)('parses every %s message as ICU MessageFormat', (locale) => {
    const broken = keys.filter((key) => {
      try {
        compile(locales[locale].catalogue[key], locales[locale].intl);
        return false;
      } catch {
        return true;
      }
    });
    expect(broken).toEqual([]);
  });

  it('uses the same placeholders in both languages', () => {
    const names = (locale: Locale, key: MessageKey) => [...placeholders(compile(locales[locale].catalogue[key], locales[locale].intl).getAst())].sort();
    const differing = keys.filter((key) => names('de', key).join() !== names('en', key).join());
    expect(differing).toEqual([]);
    // the walk finds placeholders inside plural branches, too
    expect(names('de', 'list.count')).toEqual(['count', 'total']);
  });

  it('says "1 Pflichtabschnitt" and "2 Pflichtabschnitte" in the table of contents', () => {
    expect(format('de', 'dossier.missingCount', { count: 1 })).toBe('1 Pflichtabschnitt noch leer');
    expect(format('de', 'dossier.missingCount', { count: 2 })).toBe('2 Pflichtabschnitte noch leer');
    expect(format('en', 'dossier.missingCount', { count: 1 })).toBe('1 required section still empty');
    expect(format('en', 'dossier.missingCount', { count: 2 })).toBe('2 required sections still empty');
  });

  it('counts the list by its total, with German number grouping', () => {
    expect(format('de', 'list.count', { count: 0, total: 1 })).toBe('0 von 1 Vorlage');
    expect(format('de', 'list.count', { count: 3, total: 1200 })).toBe('3 von 1.200 Vorlagen');
    expect(format('en', 'list.count', { count: 1, total: 1 })).toBe('1 of 1 resolution draft');
    expect(format('en', 'list.count', { count: 2, total: 5 })).toBe('2 of 5 resolution drafts');
  });

  it('fills plain placeholders and keeps "<" and quotes as text', () => {
    expect(format('de', 'budget.deletedBy', { line: 'Lizenzen <Server>', name: 'Sabine Huber' })).toBe(
      'Die Zeile „Lizenzen <Server>“, in der Sie gerade gearbeitet haben, wurde von Sabine Huber gelöscht.',
    );
    expect(format('de', 'budget.yearRange', { first: 2027, last: 2029 })).toBe('2027 bis 2029');
  });

  it('names the template "Vorlagenmuster" and the dossier "Vorlage", never the other way round', () => {
    // "Vorlagenmuster" stands exactly where the English says "template"
    const template = keys.filter((key) => /\btemplates?\b/i.test(en[key]));
    expect(template.length).toBeGreaterThan(0);
    expect(keys.filter((key) => /Vorlagenmuster/.test(de[key]))).toEqual(template);
    // the English side has no German word and no bare "draft" for the dossier
    for (const key of keys) expect(en[key]).not.toMatch(/Vorlage/);
    expect(keys.filter((key) => key !== 'status.draft' && /\bdrafts?\b/i.test(en[key].replaceAll(/resolution drafts?/gi, '')))).toEqual([]);
  });
});
