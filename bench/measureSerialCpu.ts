import { postGraphql } from './postGraphql.js';
import { readProcessCpuMicros } from './readProcessCpuMicros.js';
import { waitUntilIdle } from './waitUntilIdle.js';

/**
 * Gateway CPU per request with one request at a time: `samples` requests sent one after the other, the
 * gateway's CPU time over them ÷ `samples`. Unlike the figure under load, it is not inflated by requests still
 * in flight when the run ends, nor by a slow machine (CPU time only counts while the gateway runs), so it
 * compares gateways even on a crowded machine. It starts once the gateway has gone idle after the load run.
 */
export async function measureSerialCpu(
  url: string,
  body: string,
  pid: number,
  samples: number,
): Promise<number> {
  await waitUntilIdle(pid);
  const before = readProcessCpuMicros(pid);
  for (let sent = 0; sent < samples; sent += 1) await postGraphql(url, body);
  return (readProcessCpuMicros(pid) - before) / samples;
}
