/**
 * The active locale and the `t()` lookup. German is the default; the choice
 * is kept in localStorage. Dates and numbers use the locale's conventions
 * (de-DE in German).
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { de, en, type Catalogue, type MessageKey } from './messages';

export const locales = { de: { catalogue: de as Catalogue, intl: 'de-DE', label: 'Deutsch' }, en: { catalogue: en, intl: 'en-GB', label: 'English' } } as const;
export type Locale = keyof typeof locales;

const STORAGE_KEY = 'ratsdossier.locale';

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function format(catalogue: Catalogue, key: MessageKey, params: Params = {}): string {
  return catalogue[key].replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
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
    const { catalogue, intl } = locales[locale];
    const date = new Intl.DateTimeFormat(intl, { day: '2-digit', month: '2-digit', year: 'numeric' });
    const dateTime = new Intl.DateTimeFormat(intl, { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
    const time = new Intl.DateTimeFormat(intl, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    // A bare ISO date (2026-03-15) is a calendar day, not an instant: format it without a time-zone shift.
    const asDate = (iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T12:00:00`) : new Date(iso));
    return {
      locale,
      intl,
      t: (key, params) => format(catalogue, key, params),
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
