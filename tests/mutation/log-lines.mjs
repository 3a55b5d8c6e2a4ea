// @ts-check
/**
 * A Stryker ignorer (stryker.config.mjs, `ignorers: ['log-lines']`): mutants inside a log call
 * of the server's loggers (`log.error({ … }, 'message')`, `logFor('area').warn(…)`), and a
 * handler or block that does nothing but log (`.catch((error) => log.error(…))`), are not counted.
 * The same for the detail of a refusal (server/collab/refusal.ts), which only the log prints.
 * Changing a log line's text or fields changes no outcome a user or another system sees; what
 * the server logs where it matters (every request, without secrets; a malformed frame, once and
 * escaped) is tested on its own (tests/operations/logging.test.ts, tests/security/floods.test.ts),
 * not through every message of every file.
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

/** A log statement, or a block of one. */
function onlyLogs(node) {
  if (node?.type === 'ExpressionStatement') return isLogCall(node.expression);
  return node?.type === 'BlockStatement' && node.body.length === 1 && onlyLogs(node.body[0]);
}

/** The second argument of `new Refusal(reason, detail, code)` (server/collab/refusal.ts): printed to the log only. */
function isRefusalDetail(path) {
  const parent = path.parentPath?.node;
  return parent?.type === 'NewExpression' && parent.callee.type === 'Identifier' && parent.callee.name === 'Refusal' && parent.arguments[1] === path.node;
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'log-lines', {
    /** @param {import('@babel/core').NodePath} path */
    shouldIgnore(path) {
      if (isLogCall(path.node) || onlyLogs(path.node)) return 'a log line: its text and fields change no outcome';
      if (path.node.type === 'IfStatement' && !path.node.alternate && onlyLogs(path.node.consequent)) return 'a condition for a log line only';
      if (path.node.type === 'ArrowFunctionExpression' && isLogCall(path.node.body)) return 'a handler that only logs';
      if (isRefusalDetail(path)) return 'the detail of a refusal: what the log says (its reason, which the client sees, is mutated)';
      return undefined;
    },
  }),
];
