import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplates, parseTemplate, TemplateError } from '../../server/templates/loader';
import { projectRoot } from '../support/server';

const shipped = readFileSync(join(projectRoot, 'templates/verstetigung-smart-city.json'), 'utf8');

function broken(change: (template: any) => void): string {
  const template = JSON.parse(shipped);
  change(template);
  return JSON.stringify(template);
}

function refusal(text: string): TemplateError {
  try {
    parseTemplate('templates/kaputt.json', text);
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError);
    return error as TemplateError;
  }
  throw new Error('the template was accepted');
}

describe('template loader', () => {
  it('accepts the shipped template with every section the SPEC lists, in order', async () => {
    const registry = await loadTemplates(join(projectRoot, 'templates'));
    const template = registry.get('verstetigung-smart-city')!;
    expect(template.name).toBe('Verstetigungsbeschluss Smart-City-Maßnahme');
    expect(template.sections.map((s) => [s.id, s.kind, s.owner])).toEqual([
      ['kopf', 'header', 'lead'],
      ['beratungsfolge', 'consultation', 'lead'],
      ['betreff', 'text', 'lead'],
      ['beschlussvorschlag', 'text', 'lead'],
      ['ausgangslage', 'text', 'lead'],
      ['zielgruppen', 'text', 'lead'],
      ['wirkung', 'text', 'lead'],
      ['betreibermodell', 'text', 'lead'],
      ['alternativen', 'text', 'lead'],
      ['finanzen', 'budget', 'finance'],
      ['klima', 'choice', 'lead'],
      ['anlagen', 'attachments', 'lead'],
      ['mitzeichnung', 'signatures', 'workflow'],
    ]);
    expect(template.sections.filter((s) => s.group === 'Sachverhalt').map((s) => s.title)).toEqual([
      'Ausgangslage und Problem',
      'Zielgruppen: Kundinnen/Kunden und Nutzende',
      'Wirkung und Indikatoren',
      'Betreibermodell und Zuständigkeiten',
      'Alternativen',
    ]);
    for (const section of template.sections) expect(section.guidance.length, section.id).toBeGreaterThan(0);
    expect(new RegExp(template.referenceNumber.pattern, 'u').test('VO/23/20053/RII')).toBe(true);
  });

  it('names the file and the field of a missing title', () => {
    const error = refusal(broken((t) => delete t.sections[2].title));
    expect(error.file).toBe('templates/kaputt.json');
    expect(error.field).toBe('sections[2] (betreff).title');
    expect(error.message).toContain('templates/kaputt.json');
    expect(error.message).toContain('sections[2] (betreff).title');
  });

  it('refuses an unknown section kind', () => {
    expect(refusal(broken((t) => (t.sections[4].kind = 'spreadsheet'))).field).toBe('sections[4] (ausgangslage).kind');
  });

  it('refuses duplicate section ids', () => {
    expect(refusal(broken((t) => (t.sections[5].id = 'ausgangslage'))).field).toBe('sections[5] (ausgangslage).id');
  });

  it('refuses a title section that does not exist', () => {
    expect(refusal(broken((t) => (t.titleSection = 'fehlt'))).field).toBe('titleSection');
  });

  it('refuses initial rich text that does not fit the editor schema', () => {
    const error = refusal(broken((t) => (t.sections[3].initial = { type: 'doc', content: [{ type: 'codeBlock' }] })));
    expect(error.field).toBe('sections[3] (beschlussvorschlag).initial');
    expect(error.problem).toMatch(/codeBlock/);
  });

  it('refuses a guidance question that is not text', () => {
    expect(refusal(broken((t) => (t.sections[6].guidance = ['ok', 42]))).field).toBe('sections[6] (wirkung).guidance[1]');
  });

  it('refuses a file that is not JSON', () => {
    const error = refusal('{ "id": ');
    expect(error.field).toBe('(Datei)');
    expect(error.problem).toMatch(/kein gültiges JSON/);
  });

  it('stops loading a directory at the first bad file, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratsdossier-templates-'));
    writeFileSync(join(dir, 'a-gut.json'), shipped);
    writeFileSync(
      join(dir, 'b-schlecht.json'),
      broken((t) => (t.sections[0].owner = 'Kämmerei')),
    );
    await expect(loadTemplates(dir)).rejects.toThrow(/b-schlecht\.json.*sections\[0\] \(kopf\)\.owner/);
  });
});
