import { request as httpRequest, type Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';

/** One POST of a JSON body; resolves with whatever came back, rejects on network/TLS errors. */
export interface RawAnswer {
  status: number;
  contentType: string;
  /** The body as received. */
  bytes: Buffer;
  /** The body as text, decoded when first read (a row-by-row reader never asks for it). */
  readonly text: string;
}

function rawAnswer(status: number, contentType: string, bytes: Buffer): RawAnswer {
  let text: string | undefined;
  return {
    status,
    contentType,
    bytes,
    get text() {
      text ??= bytes.toString('utf8');
      return text;
    },
  };
}

export class TimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

export function postJson(
  target: URL,
  body: unknown,
  opts: {
    agent?: HttpAgent | HttpsAgent;
    timeoutMs: number;
    maxBytes?: number;
    headers?: Record<string, string>;
  },
): Promise<RawAnswer> {
  const payload = Buffer.from(JSON.stringify(body));
  const requestFn = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const req = requestFn(
      target,
      {
        method: 'POST',
        agent: opts.agent,
        headers: {
          ...opts.headers,
          'content-type': 'application/json',
          accept: 'application/json',
          'content-length': payload.length,
          'user-agent': 'kasm-scale',
        },
        timeout: opts.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let copied = 0;
        // With a Content-Length the answer is copied into one buffer as it arrives, instead of
        // chunks plus their concatenation: one copy of a 10 MB get_kasms answer, not two.
        const declared = Number(res.headers['content-length']);
        let whole =
          Number.isSafeInteger(declared) && declared > 0 && declared <= maxBytes
            ? Buffer.allocUnsafe(declared)
            : undefined;
        res.on('data', (c: Buffer) => {
          if (whole && chunks.length === 0 && copied + c.length <= whole.length)
            copied += c.copy(whole, copied);
          else chunks.push(c);
          size += c.length;
          if (size > maxBytes) {
            req.destroy(new Error(`answer larger than ${maxBytes} bytes`));
            return;
          }
        });
        res.on('end', () => {
          // A body that does not match its Content-Length is read from what arrived.
          const body =
            whole && copied === whole.length && chunks.length === 0
              ? whole
              : Buffer.concat(whole ? [whole.subarray(0, copied), ...chunks] : chunks);
          // Nothing of the bytes stays reachable from this (kept-alive) connection's handlers.
          whole = undefined;
          chunks.length = 0;
          resolve(rawAnswer(res.statusCode ?? 0, String(res.headers['content-type'] ?? ''), body));
        });
        res.on('error', reject);
      },
    );
    // The socket timeout covers silence; the overall deadline covers a trickling answer.
    const deadline = setTimeout(
      () => req.destroy(new TimeoutError(`no answer within ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    req.on('timeout', () => req.destroy(new TimeoutError(`no answer within ${opts.timeoutMs} ms`)));
    req.on('error', (e) => {
      clearTimeout(deadline);
      reject(e);
    });
    req.on('close', () => clearTimeout(deadline));
    req.end(payload);
  });
}
