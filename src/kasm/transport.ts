import { request as httpRequest, type Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';

/** One POST of a JSON body; resolves with whatever came back, rejects on network/TLS errors. */
export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
}

export class TimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

export function postJson(target: URL, body: unknown, opts: { agent?: HttpAgent | HttpsAgent; timeoutMs: number; maxBytes?: number; headers?: Record<string, string> }): Promise<RawAnswer> {
  const payload = Buffer.from(JSON.stringify(body));
  const requestFn = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const req = requestFn(
      target,
      {
        method: 'POST',
        agent: opts.agent,
        headers: { ...opts.headers, 'content-type': 'application/json', accept: 'application/json', 'content-length': payload.length, 'user-agent': 'kasm-scale' },
        timeout: opts.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            req.destroy(new Error(`answer larger than ${maxBytes} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    // The socket timeout covers silence; the overall deadline covers a trickling answer.
    const deadline = setTimeout(() => req.destroy(new TimeoutError(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on('timeout', () => req.destroy(new TimeoutError(`no answer within ${opts.timeoutMs} ms`)));
    req.on('error', (e) => {
      clearTimeout(deadline);
      reject(e);
    });
    req.on('close', () => clearTimeout(deadline));
    req.end(payload);
  });
}
