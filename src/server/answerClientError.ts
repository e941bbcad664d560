import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCode } from '../errors/errorCodes.js';

/**
 * Answers a request node:http could not even read (headers over `limits.headers.maxBytes`, a malformed
 * request line) with a GraphQL-shaped JSON error, as every other refusal is, instead of Node's bare status
 * line: 431 REQUEST_HEADERS_TOO_LARGE or 400 BAD_REQUEST. The connection is closed after it.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): ErrorCode | undefined {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return undefined;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const code = tooLarge ? ErrorCode.REQUEST_HEADERS_TOO_LARGE : ErrorCode.BAD_REQUEST;
  const message = tooLarge ? 'The request headers are too large' : 'The HTTP request could not be read';
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
  return code;
}
