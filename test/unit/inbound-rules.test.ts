import assert from 'node:assert/strict';
import type { BusinessHours } from '../../src/db/repositories/auto-replies';
import { withinBusinessHours } from '../../src/inbound/business-hours';
import { isKeyword } from '../../src/inbound/keywords';
import { regexProblem, regexTest } from '../../src/inbound/regex-engine';
import { chooseRule } from '../../src/inbound/rules';
import { rule } from '../helpers/auto-reply-rule';

describe('opt-out keywords', () => {
  const words = ['STOP', 'UNSUBSCRIBE', 'STOPP', 'BAJA', 'ARRET'];
  it('match the whole message, ignoring case, accents and surrounding punctuation', () => {
    for (const text of ['STOP', 'stop', ' Stop. ', 'Arrêt', 'ARRÊT!', 'baja', 'Unsubscribe'])
      assert.ok(isKeyword(text, words), text);
    for (const text of ['stop it', 'please stop', 'STOPPING', '', '!!!', undefined])
      assert.ok(!isKeyword(text, words), String(text));
  });
});

describe('auto-reply regexes on RE2', () => {
  it("accepts or refuses patterns by RE2's own syntax only", () => {
    for (const p of [
      '^((a|a){1,9}){1,9}b',
      'a*a*a*a*a*b',
      '(a+){1,9}$',
      '(a+)+$',
      '(a|aa)*$',
      '^(hi|hello)\\b',
      '\\p{L}+',
      '^order\\s+#?\\d{4,}$',
    ]) {
      assert.equal(regexProblem(p, false), undefined, p);
    }
    for (const p of ['(a)\\1', '(?=x)', 'a++', '(', 'a{1,1001}'])
      assert.match(regexProblem(p, false) ?? '', /not a valid RE2 regular expression/, p);
    assert.match(regexProblem('a'.repeat(501), false) ?? '', /at most 500/);
  });

  it('answers hostile texts correctly (linear time: no timeout turns a match into a miss)', () => {
    // Each of these made a backtracking engine explore exponentially or polynomially many paths before the answer.
    assert.equal(regexTest('a*a*a*a*a*b', false, `${'a'.repeat(4_000)}cb`), true);
    assert.equal(regexTest('(a+){1,9}$', false, `${'a'.repeat(4_000)}!a`), true);
    assert.equal(regexTest('^((a|a){1,9}){1,9}b', false, `${'a'.repeat(4_000)}c`), false);
    assert.equal(regexTest('^((a|a){1,9}){1,9}b', false, `${'a'.repeat(40)}b`), true);
    assert.equal(regexTest('^(a+)+$', false, `${'a'.repeat(128 * 1024)}!`), false);
    assert.equal(regexTest('^hel+o', false, 'HELLO there'), true);
    assert.equal(regexTest('^hel+o', true, 'HELLO there'), false);
    assert.equal(regexTest('(a)\\1', false, 'aa'), false, 'a stored pattern RE2 refuses never matches');
  });
});

describe('business hours', () => {
  const hours: BusinessHours = {
    time_zone: 'Europe/Berlin',
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    start: '09:00',
    end: '17:00',
  };
  it('use the local time of the zone', () => {
    assert.ok(withinBusinessHours(hours, new Date('2026-11-27T08:30:00Z')), 'Friday 09:30 in Berlin');
    assert.ok(!withinBusinessHours(hours, new Date('2026-11-27T07:30:00Z')), 'Friday 08:30 in Berlin');
    assert.ok(!withinBusinessHours(hours, new Date('2026-11-28T10:00:00Z')), 'Saturday');
  });
  it('run past midnight when end is before start, on the day they start', () => {
    const night: BusinessHours = { ...hours, days: ['fri'], start: '22:00', end: '02:00' };
    assert.ok(withinBusinessHours(night, new Date('2026-11-27T22:30:00Z')), 'Friday 23:30');
    assert.ok(withinBusinessHours(night, new Date('2026-11-28T00:30:00Z')), 'Saturday 01:30 still Friday night');
    assert.ok(!withinBusinessHours(night, new Date('2026-11-29T00:30:00Z')), 'Sunday 01:30');
  });
});

describe('choosing a rule', () => {
  it('takes the first match in the given (priority) order, and lets a closed rule without outside reply step aside', () => {
    const closed: BusinessHours = { time_zone: 'UTC', days: ['sun'], start: '09:00', end: '10:00' };
    const rules = [
      rule({ id: 1, match: 'contains', pattern: 'Price', business_hours: closed }),
      rule({
        id: 2,
        match: 'contains',
        pattern: 'price',
        business_hours: closed,
        outside_hours_reply: { message: 'closed' },
      }),
      rule({ id: 3, match: 'any' }),
    ];
    const friday = new Date('2026-11-27T12:00:00Z');
    assert.deepEqual(chooseRule(rules, 'the PRICE?', friday)?.rule.id, 2);
    assert.deepEqual(chooseRule(rules, 'the PRICE?', friday)?.kind, 'outside_hours');
    assert.deepEqual(chooseRule(rules, 'hello', friday)?.rule.id, 3);
    assert.equal(chooseRule(rules.slice(0, 2), undefined, friday), undefined);
    assert.equal(chooseRule([rule({ match: 'exact', pattern: 'hi', case_sensitive: true })], 'HI', friday), undefined);
    assert.ok(chooseRule([rule({ match: 'starts_with', pattern: 'order' })], '  Order 5', friday));
  });
});
