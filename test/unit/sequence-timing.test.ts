import assert from 'node:assert/strict';
import { delayMs, dueAfter, isTimeZone, nextTimeOfDay } from '../../src/campaigns/sequence-timing';

describe('sequence step timing', () => {
  it('reads delays in seconds, minutes, hours and days, short or ISO 8601', () => {
    assert.deepEqual(['0s', '90s', '30m', '2h', '3d', '5', '1w', '-1h'].map(delayMs), [
      0,
      90_000,
      1_800_000,
      7_200_000,
      259_200_000,
      undefined,
      undefined,
      undefined,
    ]);
    assert.deepEqual(['PT30M', 'P1D', 'P1DT12H', 'pt90s', 'PT0S', 'P', 'PT', 'P1M', 'P1Y'].map(delayMs), [
      1_800_000,
      86_400_000,
      129_600_000,
      90_000,
      0,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('finds the next time of day in a time zone, across midnight and daylight saving', () => {
    // 07:30 UTC is 08:30 in Berlin (winter): 09:00 is the same day, 08:00 the next.
    const from = new Date('2026-12-03T07:30:00Z');
    assert.equal(nextTimeOfDay(from, '09:00', 'Europe/Berlin').toISOString(), '2026-12-03T08:00:00.000Z');
    assert.equal(nextTimeOfDay(from, '08:00', 'Europe/Berlin').toISOString(), '2026-12-04T07:00:00.000Z');
    assert.equal(nextTimeOfDay(from, '09:00', 'America/New_York').toISOString(), '2026-12-03T14:00:00.000Z');
    // Summer time: Berlin is UTC+2.
    assert.equal(
      nextTimeOfDay(new Date('2026-07-01T12:00:00Z'), '09:00', 'Europe/Berlin').toISOString(),
      '2026-07-02T07:00:00.000Z',
    );
    assert.equal(dueAfter(from, { delay: '2h' }).toISOString(), '2026-12-03T09:30:00.000Z');
  });

  it('knows IANA zones', () => {
    assert.equal(isTimeZone('Europe/Berlin'), true);
    assert.equal(isTimeZone('Mars/Olympus'), false);
  });
});
