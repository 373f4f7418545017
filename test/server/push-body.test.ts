import Fastify, { type FastifyRequest } from 'fastify';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsingWith } from '../../src-server/push-admission';
import { parseLinedPushBody } from '../../src-server/push-body';
import { echoPushApp } from './echo-push-app';
import { pushBodyOf } from './sim-terminal';

// fastify's own JSON parser, as the push route uses it: a "__proto__" or "constructor" key is refused.
const parseJson = parsingWith(Fastify().getDefaultJsonParser('error', 'error'), {} as FastifyRequest);

const lined = (text: string) => parseLinedPushBody(Buffer.from(text), parseJson);

const entry = (seq: number, extra: Record<string, unknown> = {}) => ({ seq, kind: 'earn', memberId: `m-${seq}`, points: seq * 10, payload: { lines: [{ sku: 'Çay', qty: 2 }], note: 'a\nb "quoted" \\ back' }, ...extra });


describe('a push body laid out one entry per line', () => {
  it('is plain JSON, and parsed entry by entry it is exactly what JSON.parse makes of it', () => {
    const text = pushBodyOf([entry(1), entry(2), entry(3)], { auditJson: JSON.stringify([{ seq: 1, action: 'sale.complete', details: { note: 'Şule' } }]), sentAt: '2026-12-01T10:00:00.000Z', queueDepth: 7 });
    expect(text.split('\n')).toHaveLength(5);
    const parsed = lined(text);
    expect(parsed).not.toBeNull();
    expect(parsed).toEqual(JSON.parse(text));
    // One entry: its line has no comma.
    expect(lined(pushBodyOf([entry(9)]))).toEqual(JSON.parse(pushBodyOf([entry(9)])));
  });

  it('gives null for anything off the layout, so that the whole body is parsed and that parse decides', () => {
    const ok = pushBodyOf([entry(1), entry(2)]);
    const cases: Record<string, string> = {
      'compact JSON': JSON.stringify(JSON.parse(ok)),
      'pretty-printed JSON': JSON.stringify(JSON.parse(ok), null, 2),
      'no entries': pushBodyOf([]),
      'another key before the entries': ok.replace('{"protocolVersion":1,', '{"protocolVersion":1,"x":"y",'),
      'a missing comma': ok.replace('},\n{', '}\n{'),
      'a comma after the last entry': ok.replace('}\n]', '},\n]'),
      'two entries on one line': pushBodyOf([entry(1), entry(2), entry(3)]).replace('},\n{"seq":2', '},{"seq":2'),
      'a line that is not JSON': ok.replace('"seq":2', '"seq":2,,'),
      'carriage returns': ok.replaceAll('\n', '\r\n'),
      'a second "entries" key after them': ok.replace('"audit":[]', '"audit":[],"entries":[]'),
      'the same key spelled with an escape': ok.replace('"audit":[]', '"audit":[],"entri\\u0065s":[]'),
      'an unfinished body': ok.slice(0, ok.indexOf('\n]')),
      'a "__proto__" key in an entry': ok.replace('"seq":2', '"__proto__":{"admin":true},"seq":2'),
      'a "constructor" key in the rest': ok.replace('"audit":[]', '"audit":[{"constructor":{"prototype":{}}}]'),
    };
    for (const [name, text] of Object.entries(cases)) expect(lined(text), name).toBeNull();
  });

  it('never gives anything but what JSON.parse gives (random bodies, damaged at random)', () => {
    const json = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer())));
    let linedParses = 0;
    const damage = fc.tuple(fc.nat(), fc.constantFrom('', '\n', ',', ']', '[', '"', '\\', '}', ' ', '"entries":[],', '\u0130'));
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.string({ maxLength: 10 }), json), { maxLength: 6 }), fc.option(fc.string()), fc.array(damage, { maxLength: 3 }), (entries, sentAt, damages) => {
        let text = pushBodyOf(entries, sentAt === null ? {} : { sentAt });
        for (const [at, insert] of damages) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + insert + text.slice(i + (insert === '' ? 1 : 0));
        }
        let expected: unknown;
        try {
          expected = parseJson(text);
        } catch {
          expected = undefined;
        }
        const result = lined(text);
        if (result !== null) expect(result).toEqual(expected);
        if (result !== null) linedParses += 1;
      }),
      { numRuns: 3000 },
    );
    // The property held where it matters: many bodies were parsed entry by entry.
    expect(linedParses).toBeGreaterThan(500);
  });
});

describe('the push route parses such a body entry by entry', () => {
  it('hands the work the same value as a compact body, and refuses a poisoned entry with 400', async () => {
    const { app, send } = await echoPushApp();
    const text = pushBodyOf([entry(1), entry(2)], { sentAt: '2026-12-01T10:00:00.000Z' });
    const fromLined = await send(text);
    const fromCompact = await send(JSON.stringify(JSON.parse(text)));
    expect(fromLined.statusCode).toBe(200);
    expect(fromLined.json()).toEqual(JSON.parse(text));
    expect(fromLined.json()).toEqual(fromCompact.json());
    expect((await send(text.replace('"seq":2', '"__proto__":{"admin":true},"seq":2'))).statusCode).toBe(400);
    expect((await send(text.replace('}\n]', '},\n]'))).statusCode).toBe(400);
    await app.close();
  });
});
