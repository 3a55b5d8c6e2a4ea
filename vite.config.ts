import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const projectRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // The dossier page's libraries change rarely: separate chunks stay cached across app releases.
        // The entry (list page) keeps only React and the app shell.
        codeSplitting: {
          groups: [
            // A group takes what its modules import; React in its own group keeps the entry from loading the editor's chunk for it.
            { name: 'react', priority: 3, test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'editor', priority: 1, test: /node_modules[\\/](@tiptap|prosemirror-|orderedmap|rope-sequence|w3c-keyname|linkifyjs)/ },
            { name: 'collab', priority: 2, test: /node_modules[\\/](yjs|lib0|y-protocols|@hocuspocus|@lifeomic)/ },
            { name: 'zod', priority: 2, test: /node_modules[\\/]zod/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/collab': { target: 'ws://localhost:3000', ws: true },
    },
  },
  test: {
    root: projectRoot,
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
