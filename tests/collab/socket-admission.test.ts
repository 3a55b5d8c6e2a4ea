/**
 * The two decisions of the socket admission (server/collab/websocket.ts) that need no server:
 * whether a handshake comes from our own pages, and which open sockets a session check asks
 * storage about. The server tests (security/headers, security/floods, security/live-access)
 * show the same rules at work on real sockets.
 */
import { describe, expect, it } from 'vitest';
import { concerns, sameOrigin } from '../../server/collab/websocket';

describe('the origin of a WebSocket handshake', () => {
  it('counts a client that sends no Origin (no browser) as same-origin: its session alone decides', () => {
    expect(sameOrigin({ host: 'rat.example.de' }, false)).toBe(true);
  });

  it('must name the host the request went to', () => {
    expect(sameOrigin({ host: 'rat.example.de', origin: 'https://rat.example.de' }, false)).toBe(true);
    expect(sameOrigin({ host: 'rat.example.de:8443', origin: 'https://rat.example.de:8443' }, false)).toBe(true);
    expect(sameOrigin({ host: 'rat.example.de', origin: 'https://evil.example' }, false)).toBe(false);
    expect(sameOrigin({ host: 'rat.example.de', origin: 'https://rat.example.de:8443' }, false)).toBe(false);
  });

  it('refuses an Origin that is no URL', () => {
    expect(sameOrigin({ host: 'rat.example.de', origin: 'rat.example.de' }, false)).toBe(false);
    expect(sameOrigin({ host: 'rat.example.de', origin: 'null' }, false)).toBe(false);
  });

  it('accepts any host of a trusted proxy’s X-Forwarded-Host list, and ignores the header from anyone else', () => {
    const headers = { host: 'backend:3000', origin: 'https://rat.example.de', 'x-forwarded-host': 'proxy.intern, rat.example.de' };
    expect(sameOrigin(headers, true)).toBe(true);
    expect(sameOrigin(headers, false)).toBe(false);
    expect(sameOrigin({ ...headers, 'x-forwarded-host': 'proxy.intern' }, true)).toBe(false);
    expect(sameOrigin({ ...headers, origin: 'https://backend:3000' }, true)).toBe(true);
  });
});

describe('which sockets a session check concerns', () => {
  const session = { tokenHash: 'hash-of-janas-token', userId: 'user-jana' };
  const never = () => {
    throw new Error('the session id was computed though the check does not ask by id');
  };

  it('a check of all sessions concerns every socket', () => {
    expect(concerns(undefined, session, never)).toBe(true);
  });

  it('a check of one session (a logout here) concerns that session’s sockets only', () => {
    expect(concerns({ tokenHash: 'hash-of-janas-token' }, session, never)).toBe(true);
    expect(concerns({ tokenHash: 'hash-of-another-token' }, session, never)).toBe(false);
  });

  it('a check of a session named by another process compares the session id, computed only then', () => {
    let computed = 0;
    const id = () => {
      computed += 1;
      return 'session-7';
    };
    expect(concerns({ sessionId: 'session-7' }, session, id)).toBe(true);
    expect(concerns({ sessionId: 'session-8' }, session, id)).toBe(false);
    expect(computed).toBe(2);
  });

  it('a check of some users (rights or password changed) concerns their sockets only', () => {
    expect(concerns({ userIds: new Set(['user-jana', 'user-felix']) }, session, never)).toBe(true);
    expect(concerns({ userIds: new Set(['user-felix']) }, session, never)).toBe(false);
    expect(concerns({ userIds: new Set() }, session, never)).toBe(false);
  });
});
