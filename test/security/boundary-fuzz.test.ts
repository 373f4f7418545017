// Property-based fuzzing of two more boundaries: the rule-set validator (a file a person edits)
// and the device decoders (bytes from any scanner or reader). Whatever arrives: no throw, no
// hang, a clear answer, and nothing kept beyond the bounds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HidScanAssembler, LineFramer, parseHidPosReport, parseMagstripe, parseMagtekHidReport, WedgeDetector } from '../../src-shared/devices';
import { defaultRuleSet } from '../../src-shared/program/rule-set';
import { validateRuleSet, validateRuleSetText } from '../../src-shared/program/rule-set-validation';

const bytes = fc.uint8Array({ maxLength: 700 });

describe('rule-set validator under random input', () => {
  it('answers every value with a rule set or problems that name a path', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4 }), (value) => {
        const result = validateRuleSet(value);
        if (!result.ok) {
          expect(result.problems.length).toBeGreaterThan(0);
          for (const p of result.problems) expect(typeof p.message).toBe('string');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('answers a valid rule set with one field replaced by anything: valid, or a problem at that field', () => {
    const base = defaultRuleSet('TRY') as unknown as Record<string, unknown>;
    const fields = Object.keys(base);
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.anything({ maxDepth: 3 }), (field, value) => {
        const result = validateRuleSet({ ...base, version: 'fuzz-1', [field]: value });
        if (!result.ok) expect(result.problems.some((p) => p.path === '' || p.path.startsWith(field))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers any text, JSON or not, without throwing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.json()), (text) => {
        const result = validateRuleSetText(text);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('device decoders under random bytes', () => {
  it('the serial line framer never throws and never keeps more than its bound', () => {
    fc.assert(
      fc.property(fc.array(bytes, { maxLength: 20 }), fc.constantFrom('cr', 'lf', 'crlf', 'any', 'timeout') as fc.Arbitrary<'cr' | 'lf' | 'crlf' | 'any' | 'timeout'>, (chunks, terminator) => {
        const framer = new LineFramer({ terminator, maxLineBytes: 256 });
        for (const chunk of chunks) {
          for (const event of framer.push(chunk)) {
            expect(['scan', 'error', 'noise']).toContain(event.kind);
            if (event.kind === 'scan') expect(event.data.length).toBeLessThanOrEqual(256);
          }
        }
        for (const event of framer.flush()) expect(['scan', 'error', 'noise']).toContain(event.kind);
      }),
      { numRuns: 1500 },
    );
  });

  it('HID POS reports and the scan assembler answer every report with a scan, an error or nothing', () => {
    fc.assert(
      fc.property(fc.array(bytes, { maxLength: 12 }), (reports) => {
        const assembler = new HidScanAssembler({ timeoutMs: 100 });
        let now = 0;
        for (const report of reports) {
          const parsed = parseHidPosReport(report);
          expect(typeof parsed.ok).toBe('boolean');
          now += 10;
          for (const event of assembler.push(report, now)) expect(['scan', 'error']).toContain(event.kind);
        }
        for (const event of assembler.expire(now + 1000)) expect(['scan', 'error']).toContain(event.kind);
        expect(assembler.pending).toBe(false);
      }),
      { numRuns: 1500 },
    );
  });

  it('magnetic-stripe parsing answers any text and any HID report without echoing digits in errors', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.stringMatching(/^[%;][B0-9=^A-Z/ ]{0,80}\??$/)), bytes, (track, report) => {
        const result = parseMagstripe(track);
        expect(['card', 'masked', 'error']).toContain(result.kind);
        if (result.kind === 'error') expect(result.message).not.toMatch(/\d{12,}/);
        expect(typeof parseMagtekHidReport(report).ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('the keyboard-wedge detector answers every keystroke sequence and releases or scans what it held', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ key: fc.oneof(fc.constantFrom('Enter', 'Shift', 'Backspace', ';', '=', '?', '%', '^'), fc.string({ minLength: 1, maxLength: 1 })), gap: fc.integer({ min: 0, max: 400 }) }), { maxLength: 60 }), (strokes) => {
        const detector = new WedgeDetector();
        let at = 0;
        for (const s of strokes) {
          at += s.gap;
          const decision = detector.key({ key: s.key, at });
          expect(typeof decision.suppress).toBe('boolean');
        }
        detector.flush();
        expect(detector.heldCount).toBe(0);
      }),
      { numRuns: 1500 },
    );
  });
});
