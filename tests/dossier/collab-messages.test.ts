import { describe, expect, it } from 'vitest';
import { parseServerMessage } from '../../dossier/collab-messages';

describe('stateless server messages', () => {
  it('reads what the server has stored and access changes', () => {
    expect(parseServerMessage('{"type":"stored","stateVector":"AQID","at":"2026-12-01T10:00:00.000Z"}')).toEqual({
      type: 'stored',
      stateVector: 'AQID',
      at: '2026-12-01T10:00:00.000Z',
    });
    expect(parseServerMessage('{"type":"stored","stateVector":"AQID","at":null}')).toEqual({ type: 'stored', stateVector: 'AQID', at: null });
    expect(parseServerMessage('{"type":"access","readOnly":true}')).toEqual({ type: 'access', readOnly: true });
    expect(parseServerMessage('{"type":"access","readOnly":false}')).toEqual({ type: 'access', readOnly: false });
  });

  it('keeps only the known fields', () => {
    expect(parseServerMessage('{"type":"access","readOnly":true,"extra":1}')).toEqual({ type: 'access', readOnly: true });
  });

  it.each([
    ['not JSON', '{type'],
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"stored"'],
    ['an unknown type', '{"type":"hello","readOnly":true}'],
    ['stored without a state vector', '{"type":"stored","at":null}'],
    ['stored with a state vector that is no string', '{"type":"stored","stateVector":[1,2],"at":null}'],
    ['stored without a time', '{"type":"stored","stateVector":"AQID"}'],
    ['stored with a time that is no string', '{"type":"stored","stateVector":"AQID","at":12}'],
    ['access without readOnly', '{"type":"access"}'],
    ['access with readOnly as text', '{"type":"access","readOnly":"true"}'],
    ['a type that is the other message’s', '{"type":"access","stateVector":"AQID","at":null}'],
  ])('ignores %s', (_what, payload) => {
    expect(parseServerMessage(payload)).toBeUndefined();
  });
});
