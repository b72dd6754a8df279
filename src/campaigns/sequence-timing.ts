/** When a sequence step is due: a delay after the previous step, or the next time of day in a time zone. */
export type StepTiming = { delay: string } | { at: { time: string; time_zone: string } };

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
export const DELAY_PATTERN = /^(\d{1,6})\s*(s|m|h|d)$/;
export const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;
export const MAX_DELAY_MS = 366 * UNIT_MS.d;

// ISO 8601 durations in days and time (P1D, PT30M, P1DT12H); months and years have no fixed length.
const ISO_DURATION = /^P(?:(\d{1,6})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,6})S)?)?$/;

/** `0s`, `30m`, `2h`, `3d` or `PT30M`, `P1DT12H` -> milliseconds; undefined when it is neither. */
export function delayMs(text: string): number | undefined {
  const match = DELAY_PATTERN.exec(text.trim());
  if (match) return Number(match[1]) * UNIT_MS[match[2]];
  const iso = ISO_DURATION.exec(text.trim().toUpperCase());
  if (!iso || text.trim().endsWith('T') || iso.slice(1).every((part) => part === undefined)) return undefined;
  const [days, hours, minutes, seconds] = iso.slice(1).map((part) => Number(part ?? 0));
  return days * UNIT_MS.d + hours * UNIT_MS.h + minutes * UNIT_MS.m + seconds * UNIT_MS.s;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds the zone's wall clock is ahead of UTC at `instant`. */
function zoneOffsetMs(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The first instant after `from` at which the zone's clock shows `time` (a skipped hour moves to just after it). */
export function nextTimeOfDay(from: Date, time: string, zone: string): Date {
  const [hours, minutes] = time.split(':').map(Number);
  const localFrom = new Date(from.getTime() + zoneOffsetMs(from.getTime(), zone));
  for (let day = 0; day <= 2; day++) {
    const wall = Date.UTC(
      localFrom.getUTCFullYear(),
      localFrom.getUTCMonth(),
      localFrom.getUTCDate() + day,
      hours,
      minutes,
    );
    let instant = wall - zoneOffsetMs(wall, zone);
    instant = wall - zoneOffsetMs(instant, zone);
    if (instant > from.getTime()) return new Date(instant);
  }
  return new Date(from.getTime() + UNIT_MS.d);
}

/** When a step with this timing is due, counted from `previous` (the last step's send, or the enrolment). */
export function dueAfter(previous: Date, timing: StepTiming): Date {
  if ('at' in timing) return nextTimeOfDay(previous, timing.at.time, timing.at.time_zone);
  return new Date(previous.getTime() + (delayMs(timing.delay) ?? 0));
}
