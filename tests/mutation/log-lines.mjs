// @ts-check
/**
 * A Stryker ignorer (stryker.config.mjs, `ignorers: ['log-lines']`): mutants inside a log call
 * of the server's loggers (`log.error({ … }, 'message')`, `logFor('area').warn(…)`), and a
 * handler that does nothing but log (`.catch((error) => log.error(…))`), are not counted.
 * Changing a log line's text or fields changes no outcome a user or another system sees; what
 * the server logs where it matters (a 500's error, a refused frame) is tested on its own in
 * tests/operations/logging.test.ts, not through every message of every file.
 */
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/** `log.<level>(…)` or `logFor(…).<level>(…)`. */
function isLogCall(node) {
  if (node?.type !== 'CallExpression' || node.callee.type !== 'MemberExpression') return false;
  const { object, property } = node.callee;
  if (property.type !== 'Identifier' || !LEVELS.has(property.name)) return false;
  if (object.type === 'Identifier') return object.name === 'log';
  return object.type === 'CallExpression' && object.callee.type === 'Identifier' && object.callee.name === 'logFor';
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'log-lines', {
    /** @param {import('@babel/core').NodePath} path */
    shouldIgnore(path) {
      if (isLogCall(path.node)) return 'a log line: its text and fields change no outcome';
      if (path.node.type === 'ArrowFunctionExpression' && isLogCall(path.node.body)) return 'a handler that only logs';
      return undefined;
    },
  }),
];
