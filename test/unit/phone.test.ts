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
    for (const bad of ['', 'abc', '+49', '+491', "1' OR 1=1", '+1234567890']) assert.equal(normalisePhone(bad), undefined, bad);
  });

  it('reads WhatsApp ids, which carry no plus', () => {
    assert.equal(waIdToE164('4915112345678'), '+4915112345678');
  });
});
