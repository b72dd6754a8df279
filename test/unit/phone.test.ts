import assert from 'node:assert/strict';
import { normalisePhone, waIdToE164 } from '../../src/phone';

describe('normalisePhone', () => {
  it('keeps a valid international number in E.164', () => {
    assert.equal(normalisePhone('+49 151 1234 5678'), '+4915112345678');
    assert.equal(normalisePhone('0049 151 12345678'), '+4915112345678');
  });

  it('refuses a national number when no default region is configured', () => {
    assert.equal(normalisePhone('015112345678'), undefined);
    assert.equal(normalisePhone('015112345678', 'DE'), '+4915112345678');
  });

  it('refuses text, letters and impossible numbers', () => {
    for (const bad of ['', 'abc', '+49', '+491', "1' OR 1=1", '+1234567890'])
      assert.equal(normalisePhone(bad), undefined, bad);
  });

  // As people type them into landing-page forms; a national number needs DEFAULT_PHONE_REGION.
  const REAL_WORLD: [string, 'DE' | 'US' | 'GB' | undefined, string | undefined][] = [
    ['(0151) 2345 6789', 'DE', '+4915123456789'],
    ['(030) 1234 5678', 'DE', '+493012345678'],
    ['0151 2345 6789', 'DE', '+4915123456789'],
    ['0151/23456789', 'DE', '+4915123456789'],
    ['+49 (0)151 2345 6789', undefined, '+4915123456789'],
    ['+49-151-2345-6789', undefined, '+4915123456789'],
    ['+49.151.2345.6789', undefined, '+4915123456789'],
    ['+49\u00a0151\u00a023456789', undefined, '+4915123456789'],
    ['00 49 151 2345 6789', undefined, '+4915123456789'],
    ['(00 49) 151 2345 6789', undefined, '+4915123456789'],
    ['+1 (415) 555-2671', undefined, '+14155552671'],
    ['(415) 555-2671', 'US', '+14155552671'],
    ['+44 (0) 20 7946 0958', undefined, '+442079460958'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['+33 6 12 34 56 78', undefined, '+33612345678'],
    // Refused: a national number without a region, no digits, an extension.
    ['(0151) 2345 6789', undefined, undefined],
    ['()', 'DE', undefined],
    ['+49 151 2345 6789 ext. 12', undefined, undefined],
  ];
  for (const [raw, region, expected] of REAL_WORLD) {
    it(`${JSON.stringify(raw)}${region ? ` (${region})` : ''} -> ${expected ?? 'refused'}`, () => {
      assert.equal(normalisePhone(raw, region), expected);
    });
  }

  it('reads WhatsApp ids, which carry no plus', () => {
    assert.equal(waIdToE164('4915112345678'), '+4915112345678');
  });
});
