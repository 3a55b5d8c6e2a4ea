/**
 * For test files that start their own servers inside each test (to restart the same data with
 * other settings): the servers a test started are closed after it, also when it failed; and
 * template directories holding exactly the templates a test describes.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Config } from '../../server/config';
import { projectRoot, startTestServer, tempDataDir, type TestServer } from './server';

/** Call at the top of a test file; `start` a server in a test, `stop` it to restart its data. */
export function serversPerTest() {
  const running: TestServer[] = [];
  afterEach(async () => {
    // a test may have broken its server on purpose (a closed database), so closing may fail
    for (const server of running.splice(0)) await server.close().catch(() => undefined);
  });
  return {
    async start(overrides: Partial<Config> = {}): Promise<TestServer> {
      const server = await startTestServer(overrides);
      running.push(server);
      return server;
    },
    async stop(server: TestServer): Promise<void> {
      running.splice(running.indexOf(server), 1);
      await server.close();
    },
  };
}

export type TemplateJson = { id: string; sections: { id: string; kind: string }[]; cosigning: { covers: Record<string, string[]> } };

/** The template the project installs, as its JSON file has it. */
export const installedTemplateJson = JSON.parse(readFileSync(join(projectRoot, 'templates/verstetigung-smart-city.json'), 'utf8')) as TemplateJson;

/** A template directory holding the given templates. */
export function templatesDir(...templates: TemplateJson[]): string {
  const dir = join(tempDataDir().dir, 'templates');
  mkdirSync(dir);
  for (const template of templates) writeFileSync(join(dir, `${template.id}.json`), JSON.stringify(template));
  return dir;
}

/** A template directory that lacks the installed template: its dossiers' template is "no longer installed". */
export const templatesDirWithoutInstalled = () => templatesDir({ ...installedTemplateJson, id: 'andere-vorlage' });
