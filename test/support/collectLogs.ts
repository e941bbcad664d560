import { Writable } from 'node:stream';
import { createLogger } from '../../src/observability/createLogger.js';

/** A real graft logger (JSON lines) whose output the test keeps: parsed lines and the raw text. */
export function collectLogs(level = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, raw, logger: createLogger(level, sink) };
}
