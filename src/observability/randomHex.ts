import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * `bytes` random bytes as lower-case hex, for trace and span ids. Drawn from a pool refilled from the
 * system's CSPRNG 4 KiB at a time: ids are made for every request and every subgraph call, and one
 * `randomBytes` call each would cost more than the rest of the id's handling.
 */
export function randomHex(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}
