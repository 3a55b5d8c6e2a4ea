/**
 * The session cookie's name and Secure flag. Behind a TLS-terminating proxy (TRUST_PROXY set) the cookie
 * is Secure and `__Host-` prefixed, so neither plain HTTP nor a sibling subdomain can set or read it.
 */
import { SESSION_COOKIE } from './sessions';

export function sessionCookie(trustProxy: boolean | number | string): { name: string; secure: boolean } {
  return trustProxy ? { name: `__Host-${SESSION_COOKIE}`, secure: true } : { name: SESSION_COOKIE, secure: false };
}
