/**
 * Loads and validates every template file at start-up. A bad template stops
 * the server with an error that names the file and the field.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { z } from 'zod';
import { parseRichText } from '../../dossier/schema';
import { templateSchema, type Template, type TemplateSection } from '../../dossier/template';

export class TemplateError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`Vorlagenmuster ${file}: Feld "${field}": ${problem}`);
    this.name = 'TemplateError';
  }
}

export interface TemplateRegistry {
  list(): Template[];
  get(id: string): Template | undefined;
}

export async function loadTemplates(directory: string): Promise<TemplateRegistry> {
  const files = (await readdir(directory)).filter((name) => name.endsWith('.json')).sort();
  const templates = new Map<string, Template>();
  for (const name of files) {
    const path = join(directory, name);
    const file = relative(process.cwd(), path) || path;
    const template = parseTemplate(file, await readFile(path, 'utf8'));
    if (templates.has(template.id)) throw new TemplateError(file, 'id', `ID "${template.id}" wird schon von einem anderen Vorlagenmuster verwendet`);
    templates.set(template.id, template);
  }
  if (templates.size === 0) throw new Error(`Keine Vorlagenmuster (*.json) in ${directory} gefunden`);
  return {
    list: () => [...templates.values()],
    get: (id) => templates.get(id),
  };
}

/** Validates one template file's text; `file` is only used in error messages. */
export function parseTemplate(file: string, text: string): Template {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TemplateError(file, '(Datei)', `kein gültiges JSON: ${(error as Error).message}`);
  }
  const result = templateSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new TemplateError(file, fieldName(json, issue.path), issue.message);
  }
  result.data.sections.forEach((section, index) => {
    checkInitialContent(file, section, index);
  });
  return result.data;
}

/** Initial content must fit the editor schema and the section's own declarations. */
function checkInitialContent(file: string, section: TemplateSection, index: number): void {
  const at = `sections[${index}] (${section.id}).initial`;
  const richText = (field: string, doc: unknown) => {
    try {
      parseRichText(doc);
    } catch (error) {
      throw new TemplateError(file, field, `passt nicht zum Editor-Schema: ${(error as Error).message}`);
    }
  };
  switch (section.kind) {
    case 'text':
      if (section.initial) richText(at, section.initial);
      break;
    case 'budget':
      if (section.initial?.statement) richText(`${at}.statement`, section.initial.statement);
      break;
    case 'header':
      for (const key of Object.keys(section.initial?.fields ?? {})) {
        if (!section.fields.some((field) => field.id === key)) {
          throw new TemplateError(file, `${at}.fields.${key}`, 'kein Kopffeld dieses Abschnitts');
        }
      }
      break;
    case 'choice':
      if (section.initial?.value != null && !section.options.some((o) => o.value === section.initial?.value)) {
        throw new TemplateError(file, `${at}.value`, `"${section.initial.value}" ist keine der Optionen`);
      }
      for (const [key, doc] of Object.entries(section.initial?.texts ?? {})) {
        if (!section.texts.some((text) => text.id === key)) throw new TemplateError(file, `${at}.texts.${key}`, 'kein Textfeld dieses Abschnitts');
        richText(`${at}.texts.${key}`, doc);
      }
      for (const text of section.texts) {
        for (const value of text.when ?? []) {
          if (!section.options.some((o) => o.value === value)) {
            throw new TemplateError(file, `sections[${index}] (${section.id}).texts.${text.id}.when`, `"${value}" ist keine der Optionen`);
          }
        }
      }
      break;
    default:
      break;
  }
}

/** `sections.3.title` → `sections[3] (betreff).title`, so the author finds the place. */
function fieldName(json: unknown, path: z.core.$ZodIssue['path']): string {
  let name = '';
  let node: unknown = json;
  for (const key of path) {
    if (typeof key === 'number') {
      name += `[${key}]`;
      node = Array.isArray(node) ? node[key] : undefined;
      const id = node && typeof node === 'object' ? (node as { id?: unknown }).id : undefined;
      if (typeof id === 'string') name += ` (${id})`;
    } else {
      name += name ? `.${String(key)}` : String(key);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[String(key)] : undefined;
    }
  }
  return name || '(Wurzel)';
}
