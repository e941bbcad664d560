const UNIT_SEC: Readonly<Record<string, number>> = {
  s: 1,
  sec: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  minute: 60,
  minutes: 60,
  h: 3_600,
  hr: 3_600,
  hour: 3_600,
  hours: 3_600,
  d: 86_400,
  day: 86_400,
  days: 86_400,
};

const WINDOW = /^\s*(\d+)\s*([a-z]+)\s*$/i;

/**
 * A rate-limit window as written in `@rateLimit(window: …)` or the config ("10s", "1m", "1h", "1d", also
 * "10 seconds") → whole seconds, or undefined when it cannot be read. Windows are whole seconds because that
 * is what the Redis store keeps (key TTLs); a window under one second is refused rather than rounded.
 */
export function parseWindowSec(window: string): number | undefined {
  const match = WINDOW.exec(window);
  if (!match) return undefined;
  const unitSec = UNIT_SEC[match[2]!.toLowerCase()];
  const amount = Number(match[1]);
  if (unitSec === undefined || amount <= 0 || !Number.isSafeInteger(amount * unitSec)) return undefined;
  return amount * unitSec;
}
