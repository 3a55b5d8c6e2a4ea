// Worker threads start without the parent's TypeScript loader (Node 20 ignores
// `--import` in a worker's execArgv), so the worker registers tsx itself. This
// works the same under `tsx server/main.ts`, the CLI and vitest.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
