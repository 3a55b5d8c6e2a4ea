/**
 * The active locale and the `t()` lookup. German is the default; the choice
 * is kept in localStorage. Dates and numbers use the locale's conventions
 * (de-DE in German). Messages are ICU MessageFormat, formatted by FormatJS's
 * IntlMessageFormat, so a count picks the locale's plural form ("1 Pflichtabschnitt",
 * "2 Pflichtabschnitte"); it interprets the parsed message and needs no eval,
 * which the page's CSP forbids.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { de, en, type Catalogue, type MessageKey } from './messages';

export const locales = { de: { catalogue: de as Catalogue, intl: 'de-DE', label: 'Deutsch' }, en: { catalogue: en, intl: 'en-GB', label: 'English' } } as const;
export type Locale = keyof typeof locales;

const STORAGE_KEY = 'ratsdossier.locale';

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** Compiles a catalogue message; tags are off, so "<" is plain text. Throws on a message that is not valid ICU. */
export function compile(message: string, intl: string): IntlMessageFormat {
  return new IntlMessageFormat(message, intl, undefined, { ignoreTag: true });
}

/** Compiled messages per locale, each parsed once on first use. */
const compiled = new Map<Locale, Map<MessageKey, IntlMessageFormat>>();

export function format(locale: Locale, key: MessageKey, params: Params = {}): string {
  let formats = compiled.get(locale);
  if (!formats) {
    formats = new Map();
    compiled.set(locale, formats);
  }
  let message = formats.get(key);
  if (!message) {
    message = compile(locales[locale].catalogue[key], locales[locale].intl);
    formats.set(key, message);
  }
  try {
    return String(message.format(params));
  } catch (error) {
    // a missing value is a bug in the caller; show the raw message rather than break the page
    console.error(error);
    return locales[locale].catalogue[key];
  }
}

interface I18n {
  locale: Locale;
  intl: string;
  t: Translate;
  setLocale(locale: Locale): void;
  formatDate(iso: string): string;
  formatDateTime(iso: string): string;
  formatTime(iso: string): string;
}

const I18nContext = createContext<I18n | null>(null);

function storedLocale(): Locale {
  const value = localStorage.getItem(STORAGE_KEY);
  return value === 'en' ? 'en' : 'de';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(storedLocale);
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setLocaleState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const { intl } = locales[locale];
    const date = new Intl.DateTimeFormat(intl, { day: '2-digit', month: '2-digit', year: 'numeric' });
    const dateTime = new Intl.DateTimeFormat(intl, { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
    const time = new Intl.DateTimeFormat(intl, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    // A bare ISO date (2026-03-15) is a calendar day, not an instant: format it without a time-zone shift.
    const asDate = (iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T12:00:00`) : new Date(iso));
    return {
      locale,
      intl,
      t: (key, params) => format(locale, key, params),
      setLocale,
      formatDate: (iso) => (iso ? date.format(asDate(iso)) : ''),
      formatDateTime: (iso) => dateTime.format(new Date(iso)),
      formatTime: (iso) => time.format(new Date(iso)),
    };
  }, [locale, setLocale]);
  document.documentElement.lang = locale;
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
