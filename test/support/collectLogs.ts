import { Writable } from 'node:stream';
import { createLogger } from '../../src/observability/createLogger.js';

/**
 * A real graft logger (JSON lines) whose output the test keeps: parsed lines and the raw text, and
 * `waitFor`, which settles once a line whose message matches has been written.
 */
export function collectLogs(level = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  const matches = (line: Record<string, unknown>, pattern: RegExp) => pattern.test(String(line.msg ?? ''));
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(text);
        const line = JSON.parse(text) as Record<string, unknown>;
        lines.push(line);
        for (const waiter of waiters) if (matches(line, waiter.pattern)) waiter.resolve();
      }
      done();
    },
  });
  const waitFor = (pattern: RegExp, after = 0) =>
    new Promise<void>((resolve) => {
      if (lines.slice(after).some((line) => matches(line, pattern))) resolve();
      else waiters.push({ pattern, resolve });
    });
  return { lines, raw, logger: createLogger(level, sink), waitFor };
}
