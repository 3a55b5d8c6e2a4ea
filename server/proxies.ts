/**
 * Which proxies' X-Forwarded-* headers count (TRUST_PROXY), compiled once
 * and used alike by Express (client address, https) and by the WebSocket
 * upgrade (client address for the socket limits, forwarded host for the
 * origin check), with Express' meaning of the setting.
 */
import proxyAddr from 'proxy-addr';

export type ProxyTrust = (address: string, hop: number) => boolean;

export function trustedProxies(setting: boolean | number | string): ProxyTrust {
  if (setting === true) return () => true;
  if (setting === false) return () => false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyAddr.compile(setting.split(',').map((entry) => entry.trim()));
}
