import type { BusinessHours, Weekday } from '../db/repositories/auto-replies';

const WEEKDAY_BY_NAME: Record<string, Weekday> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The weekday and HH:MM that the clocks in `zone` showed at `at`. */
function localTime(at: Date, zone: string): { day: Weekday; time: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: WEEKDAY_BY_NAME[part('weekday')], time: `${part('hour')}:${part('minute')}` };
}

const previousDay = (day: Weekday): Weekday => {
  const order: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  return order[(order.indexOf(day) + 6) % 7];
};

/** Whether `at` falls in the window; a window past midnight belongs to the day it starts on. */
export function withinBusinessHours(hours: BusinessHours, at: Date): boolean {
  const { day, time } = localTime(at, hours.time_zone);
  if (hours.start < hours.end) return hours.days.includes(day) && time >= hours.start && time < hours.end;
  if (time >= hours.start) return hours.days.includes(day);
  return time < hours.end && hours.days.includes(previousDay(day));
}
