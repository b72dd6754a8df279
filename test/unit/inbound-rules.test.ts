import assert from 'node:assert/strict';
import type { AutoReplyRule, BusinessHours } from '../../src/db/repositories/auto-replies';
import { withinBusinessHours } from '../../src/inbound/business-hours';
import { isKeyword } from '../../src/inbound/keywords';
import { regexProblem, safeRegexTest } from '../../src/inbound/regex-safety';
import { chooseRule } from '../../src/inbound/rules';

const rule = (fields: Partial<AutoReplyRule>): AutoReplyRule => ({
  id: 1, name: 'r', match: 'any', pattern: null, case_sensitive: false, reply: { message: 'x' }, priority: 0, active: true,
  business_hours: null, outside_hours_reply: null, created_at: new Date(), updated_at: new Date(), ...fields,
});

describe('opt-out keywords', () => {
  const words = ['STOP', 'UNSUBSCRIBE', 'STOPP', 'BAJA', 'ARRET'];
  it('match the whole message, ignoring case, accents and surrounding punctuation', () => {
    for (const text of ['STOP', 'stop', ' Stop. ', 'Arrêt', 'ARRÊT!', 'baja', 'Unsubscribe']) assert.ok(isKeyword(text, words), text);
    for (const text of ['stop it', 'please stop', 'STOPPING', '', '!!!', undefined]) assert.ok(!isKeyword(text, words), String(text));
  });
});

describe('regex safety', () => {
  it('refuses nested repetition, repeated alternation and backreferences; accepts ordinary patterns', () => {
    for (const p of ['(a+)+$', '(a|aa)*$', '(\\w+\\s?)*$', '(a*)*', '([a-z]+\\d)+', '(a)\\1', '(']) assert.ok(regexProblem(p, false), p);
    for (const p of ['^(hi|hello)\\b', 'price.*', '\\d{3,}', '[(]+', 'a{1,5}', '(ab){2,}', '^order\\s+#?\\d{4,}$']) assert.equal(regexProblem(p, false), undefined, p);
  });
  it('stops a runaway match within the time limit and counts it as no match', () => {
    const started = Date.now();
    assert.equal(safeRegexTest('^(a+)+$', false, `${'a'.repeat(40)}!`), false);
    assert.ok(Date.now() - started < 1_000);
    assert.equal(safeRegexTest('^hel+o', false, 'HELLO there'), true);
    assert.equal(safeRegexTest('^hel+o', true, 'HELLO there'), false);
  });
});

describe('business hours', () => {
  const hours: BusinessHours = { time_zone: 'Europe/Berlin', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' };
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
      rule({ id: 2, match: 'contains', pattern: 'price', business_hours: closed, outside_hours_reply: { message: 'closed' } }),
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
