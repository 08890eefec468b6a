/** The time a record was made or last written, as its API writes times (`x-resource.timestamps`). */
import type { TimestampFormat } from '../../lib/extensions.js';

const two = (n: number): string => String(n).padStart(2, '0');

export function formatTime(ms: number, format: TimestampFormat): string | number {
  const date = new Date(ms);
  if (format === 'date-time') return date.toISOString();
  const seconds = Math.floor(ms / 1000);
  if (format === 'unix') return seconds;
  if (format === 'unix-text') return String(seconds);
  const hours = date.getUTCHours();
  const parts: Record<string, string> = {
    YYYY: String(date.getUTCFullYear()),
    MM: two(date.getUTCMonth() + 1),
    DD: two(date.getUTCDate()),
    HH: two(hours),
    hh: two(hours % 12 === 0 ? 12 : hours % 12),
    mm: two(date.getUTCMinutes()),
    ss: two(date.getUTCSeconds()),
    A: hours < 12 ? 'AM' : 'PM',
  };
  return format.replace(/YYYY|MM|DD|HH|hh|mm|ss|A/g, (token) => parts[token]!);
}
