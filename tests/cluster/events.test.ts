/**
 * The cluster events: in one process, and over a real Redis between several
 * publishers as several server processes would hold them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type ClusterEvent, type ClusterEvents, ClusterRequestFailed, inProcessEvents } from '../../server/cluster/events';
import { connectRedis, redisEvents } from '../../server/cluster/redis';
import { redisUnavailable, redisUrl, removeKeys, testPrefix } from '../support/redis';
import { waitFor } from '../support/server';

const unavailable = await redisUnavailable('the cluster events over Redis');

/** Every event a handler heard, with whether it came from its own process. */
function hear(events: ClusterEvents): { event: ClusterEvent; local: boolean }[] {
  const heard: { event: ClusterEvent; local: boolean }[] = [];
  events.subscribe((event, local) => void heard.push({ event, local }));
  return heard;
}

describe('in one process', () => {
  it('runs every handler before publish resolves, and throws a handler’s failure to the publisher after the others ran', async () => {
    const events = inProcessEvents();
    const order: string[] = [];
    events.subscribe(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      order.push('first');
      throw new Error('kaputt');
    });
    events.subscribe((_event, local) => void order.push(`second ${local}`));
    await expect(events.publish({ type: 'dossier-status', dossierId: 'd1' })).rejects.toThrow('kaputt');
    expect(order).toEqual(['first', 'second true']);
  });

  it('answers a request once its own handlers ran: it is the only process', async () => {
    const events = inProcessEvents();
    const stored: string[] = [];
    events.subscribe(async (event) => {
      await new Promise((resolve) => setImmediate(resolve));
      if (event.type === 'store-dossier') stored.push(event.dossierId);
    });
    await events.request({ type: 'store-dossier', dossierId: 'd1' });
    expect(stored).toEqual(['d1']);
  });

  it('stops delivering to a handler that unsubscribed', async () => {
    const events = inProcessEvents();
    const heard: string[] = [];
    const stop = events.subscribe((event) => void heard.push(event.type));
    await events.publish({ type: 'users-changed', userIds: ['u1'] });
    stop();
    await events.publish({ type: 'users-changed', userIds: ['u2'] });
    expect(heard).toEqual(['users-changed']);
  });
});

describe.skipIf(unavailable !== undefined)('over Redis', () => {
  const prefix = testPrefix();
  const opened: ClusterEvents[] = [];
  const open = async (ofPrefix = prefix) => {
    const events = await redisEvents(redisUrl, ofPrefix);
    opened.push(events);
    return events;
  };
  afterAll(async () => {
    await Promise.all(opened.map((events) => events.close()));
    await removeKeys(prefix);
  });

  it('reaches the other processes, and the publisher once, at once', async () => {
    const [a, b, c] = [await open(), await open(), await open()];
    const [onA, onB, onC] = [hear(a), hear(b), hear(c)];
    const changed: ClusterEvent = { type: 'users-changed', userIds: ['u1', 'u2'] };
    await a.publish(changed);
    // delivered here before publish resolved
    expect(onA).toEqual([{ event: changed, local: true }]);
    await waitFor(() => onB.length === 1 && onC.length === 1);
    expect(onB).toEqual([{ event: changed, local: false }]);
    expect(onC).toEqual([{ event: changed, local: false }]);

    // in order, and A does not hear its own events a second time through Redis
    const later: ClusterEvent[] = [
      { type: 'dossier-access', dossierId: 'd1' },
      { type: 'dossier-status', dossierId: 'd1' },
      {
        type: 'editors',
        processId: a.processId,
        expiresInMs: 15_000,
        dossiers: { d1: [{ id: 'u1', name: 'Jana Becker', color: '#1d4f91', sections: ['ausgangslage'] }] },
      },
    ];
    for (const event of later) await a.publish(event);
    await waitFor(() => onB.length === 4);
    expect(onB.map((heard) => heard.event)).toEqual([changed, ...later]);
    expect(onA).toHaveLength(4);
  });

  it('ignores what is not an event, and keeps listening', async () => {
    const [a, b] = [await open(), await open()];
    const onB = hear(b);
    const raw = await connectRedis(redisUrl);
    await raw.publish(`${prefix}:events`, 'kein JSON');
    await raw.publish(`${prefix}:events`, JSON.stringify({ origin: 'x', event: { type: 'users-changed', userIds: 'alle' } }));
    raw.disconnect();
    await a.publish({ type: 'dossier-status', dossierId: 'd2' });
    await waitFor(() => onB.length === 1);
    expect(onB[0]!.event).toEqual({ type: 'dossier-status', dossierId: 'd2' });
  });

  it('keeps installations with different prefixes apart', async () => {
    const otherPrefix = testPrefix();
    const [a, b, other] = [await open(), await open(), await open(otherPrefix)];
    const [onB, onOther] = [hear(b), hear(other)];
    await a.publish({ type: 'dossier-status', dossierId: 'd3' });
    await other.publish({ type: 'dossier-status', dossierId: 'd4' });
    await waitFor(() => onB.length === 1);
    expect(onOther.map((heard) => heard.local)).toEqual([true]);
    expect(onB[0]!.event).toEqual({ type: 'dossier-status', dossierId: 'd3' });
  });

  it('resolves a request once every process ran its handlers for it', async () => {
    const ofRequest = testPrefix();
    const [a, b, c] = [await open(ofRequest), await open(ofRequest), await open(ofRequest)];
    const done: string[] = [];
    const slowly = (who: string, ms: number) => async (event: ClusterEvent) => {
      if (event.type !== 'store-dossier') return;
      await new Promise((resolve) => setTimeout(resolve, ms));
      done.push(who);
    };
    a.subscribe(slowly('a', 10));
    b.subscribe(slowly('b', 300));
    c.subscribe(slowly('c', 150));
    await a.request({ type: 'store-dossier', dossierId: 'd5' });
    expect(done.sort()).toEqual(['a', 'b', 'c']);
    await removeKeys(ofRequest);
  });

  it('rejects a request when a handler elsewhere failed, or a process did not answer in time', async () => {
    const ofRequest = testPrefix();
    const [a, b] = [await open(ofRequest), await open(ofRequest)];
    const stop = b.subscribe((event) => {
      if (event.type === 'store-dossier') throw new Error('Speicher voll');
    });
    await expect(a.request({ type: 'store-dossier', dossierId: 'd6' })).rejects.toThrow(ClusterRequestFailed);
    stop();
    // b hangs (a process that is stopped, but still subscribed): a does not wait longer than it said
    let release: () => void = () => undefined;
    b.subscribe((event) => (event.type === 'store-dossier' ? new Promise<void>((resolve) => (release = resolve)) : undefined));
    const at = Date.now();
    await expect(a.request({ type: 'store-dossier', dossierId: 'd7' }, { timeoutMs: 300 })).rejects.toThrow(/did not answer within 300 ms/);
    expect(Date.now() - at).toBeLessThan(2000);
    release();
    // an event published meanwhile needs no answer
    await a.publish({ type: 'dossier-status', dossierId: 'd8' });
    await removeKeys(ofRequest);
  });

  it('refuses to start on an unreachable Redis, naming REDIS_URL', async () => {
    await expect(redisEvents('redis://127.0.0.1:1', prefix)).rejects.toThrow(/^Redis unter REDIS_URL ist nicht erreichbar/);
  });
});
