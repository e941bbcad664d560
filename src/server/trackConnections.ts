import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Http2SecureServer, ServerHttp2Session } from 'node:http2';
import type { Socket } from 'node:net';

export interface ConnectionTracker {
  /** Counts a request against its HTTP/1 connection until its response closes. */
  trackRequest(req: IncomingMessage, res: ServerResponse): void;
  /**
   * Draining: idle HTTP/1 connections close now and busy ones after their current response; HTTP/2
   * sessions get a GOAWAY (no new streams; open ones finish).
   */
  drain(): void;
  /** The end: every connection and session is destroyed. */
  destroyAll(): void;
}

/**
 * Keeps the connections of one listener, plain HTTP/1 or TLS with HTTP/2 beside HTTP/1, so shutdown can
 * close them the same way for both. (node:http's `closeIdleConnections` exists only on an HTTP/1 server.)
 */
export function trackConnections(server: HttpServer | Http2SecureServer, secure: boolean): ConnectionTracker {
  // Open requests per HTTP/1 socket; HTTP/2 sockets are in `sessions` instead.
  const sockets = new Map<Socket, number>();
  const sessions = new Set<ServerHttp2Session>();
  let draining = false;

  const addSocket = (socket: Socket & { alpnProtocol?: string | false }) => {
    if (socket.alpnProtocol === 'h2') return;
    sockets.set(socket, 0);
    socket.once('close', () => sockets.delete(socket));
  };
  // A TLS listener's requests run on the socket `secureConnection` hands over, not on the raw TCP one.
  server.on(secure ? 'secureConnection' : 'connection', addSocket);
  server.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });

  return {
    trackRequest(req, res) {
      if (req.httpVersionMajor >= 2) return;
      const socket = req.socket;
      sockets.set(socket, (sockets.get(socket) ?? 0) + 1);
      res.once('close', () => {
        const open = (sockets.get(socket) ?? 1) - 1;
        if (!sockets.has(socket)) return;
        sockets.set(socket, open);
        if (draining && open === 0) socket.end();
      });
    },
    drain() {
      draining = true;
      for (const [socket, open] of sockets) if (open === 0) socket.end();
      for (const session of sessions) session.close();
    },
    destroyAll() {
      for (const session of sessions) session.destroy();
      for (const socket of sockets.keys()) socket.destroy();
    },
  };
}
