import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Small HTTP plumbing shared by the local emulators (Kasm, OCI, GCP): read a body, answer
 * JSON/text/HTML, listen on 127.0.0.1 port 0 and close every socket on `close()` so test
 * runs never hang on a keep-alive connection.
 */

export type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

export interface StartedServer {
  server: Server;
  url: string;
  port: number;
  host: string;
  close(): Promise<void>;
}

/** Reads the whole request body (emulators only ever see small bodies). */
export function readBody(req: IncomingMessage, limit = 16 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  doc: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(doc);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = 'text/plain; charset=utf-8',
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The kind of page a Python web stack (CherryPy, nginx) answers on an unhandled error. */
export function sendHtmlError(res: ServerResponse, status = 500, title = 'Internal Server Error'): void {
  const html = `<!DOCTYPE html>\n<html><head><title>${status} ${title}</title></head>\n<body><h1>${status} ${title}</h1><p>The server encountered an unexpected condition which prevented it from fulfilling the request.</p>\n<pre>Traceback (most recent call last):\n  File "handler.py", line 1, in call\nException</pre></body></html>\n`;
  sendText(res, status, html, 'text/html;charset=utf-8');
}

/** Cuts the connection without an answer: what a crashed proxy or a dropped link looks like. */
export function dropConnection(res: ServerResponse): void {
  res.socket?.destroy();
}

/** Parses a JSON body; undefined when it is not JSON (the caller decides what to answer). */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Listens on host:port (127.0.0.1:0 by default). A handler that throws answers 500 with
 * an HTML body, as a real unhandled error would.
 */
export function listen(
  handler: Handler,
  /** `tls`: serve https with this key and certificate (the Kubernetes API is https only). */
  opts: { port?: number; host?: string; tls?: { key: string; cert: string } } = {},
): Promise<StartedServer> {
  const host = opts.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    readBody(req)
      .then((body) => handler(req, res, body))
      .catch(() => {
        if (!res.headersSent) sendHtmlError(res, 500);
        else res.end();
      });
  };
  const server: Server = opts.tls ? createTlsServer(opts.tls, serve) : createServer(serve);
  // Node closes an idle kept-alive connection after 5 s; the cloud front ends keep them far
  // longer, and the SDKs pool sockets on that assumption. With Node's default, a client
  // that reuses a pooled socket just as the server drops it gets ECONNRESET (seen on a
  // loaded machine between two calls a few seconds apart).
  server.keepAliveTimeout = 120_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        server,
        host,
        port,
        url: `${opts.tls ? 'https' : 'http'}://${urlHost}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** setTimeout as a promise, for injected latency. */
export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
