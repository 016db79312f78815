/**
 * Times and durations the way a person reads them. Pure functions: no clock
 * unless one is passed in.
 */

/** `42 s`, `9 min 15 s`, `1 h 36 min`; `''` for null/undefined (seconds, as in `elapsedSec`). */
export function formatElapsed(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !isFinite(seconds)) {
    return '';
  }
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) {
    return `${total} s`;
  }
  const minutes = Math.floor(total / 60);
  const secs = total % 60;
  if (minutes < 60) {
    return secs ? `${minutes} min ${secs} s` : `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  const mins = minutes % 60;
  return mins ? `${hours} h ${mins} min` : `${hours} h`;
}

/**
 * How long ago an ISO-8601 time was, relative to `now` (ms since the epoch):
 * `just now`, `5 min ago`, `3 h ago`, `2 d ago`; `''` for a missing or unreadable time.
 */
export function formatAgo(iso: string | null | undefined, now: number): string {
  if (!iso) {
    return '';
  }
  const then = Date.parse(iso);
  if (isNaN(then)) {
    return '';
  }
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 45) {
    return 'just now';
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  const hours = Math.round(minutes / 60);
  if (hours < 48) {
    return `${hours} h ago`;
  }
  return `${Math.round(hours / 24)} d ago`;
}

/** ISO-8601 shortened to `YYYY-MM-DD HH:MM:SS UTC`; `–` when missing. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) {
    return '–';
  }
  if (iso.length >= 19 && iso[10] === 'T') {
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
  }
  return iso;
}

/** `HH:MM:SS` local time of a moment (ms since the epoch), for "updated at". */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
