/**
 * Zod compiles object parsers with `new Function`, which the Content-Security-Policy forbids (no
 * 'unsafe-eval'); Chromium reports even zod's caught probe as a violation. Imported before any schema is
 * built (zod decides at schema construction).
 */
import { config } from 'zod';

config({ jitless: true });
