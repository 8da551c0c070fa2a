import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';

// Request bodies: limit the bytes as sent, then (for gzip) inflate; Fastify's bodyLimit
// then caps the inflated size.

function limitStream(limit: number): Transform & { receivedEncodedLength: number } {
  let seen = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      (t as unknown as { receivedEncodedLength: number }).receivedEncodedLength = seen;
      if (seen > limit) {
        return cb(
          new HttpError(413, 'payload_too_large', `request body is larger than ${limit} bytes`)
        );
      }
      cb(null, chunk);
    }
  }) as Transform & { receivedEncodedLength: number };
  t.receivedEncodedLength = 0;
  return t;
}

export function decodeBody(rawLimit: number) {
  return async (req: FastifyRequest, _reply: unknown, payload: Readable): Promise<Readable> => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > rawLimit) {
      throw new HttpError(
        413,
        'payload_too_large',
        `request body is larger than ${rawLimit} bytes`
      );
    }
    const enc = String(req.headers['content-encoding'] ?? 'identity')
      .trim()
      .toLowerCase();
    if (enc !== 'identity' && enc !== 'gzip') {
      throw new HttpError(
        415,
        'unsupported_media_type',
        `Content-Encoding '${enc.slice(0, 40)}' is not supported (use gzip)`
      );
    }
    const limited = payload.pipe(limitStream(rawLimit));
    payload.on('error', e => limited.destroy(e));
    if (enc === 'identity') {
      return limited;
    }
    const gunzip = createGunzip();
    limited.on('error', e => gunzip.destroy(e));
    const out = limited.pipe(gunzip);
    out.on('error', () => undefined);
    // Errors surface through Fastify's body reader; bad gzip is the client's fault.
    const wrapped = new Transform({ transform: (c, _e, cb) => cb(null, c) }) as Transform & {
      receivedEncodedLength?: number;
    };
    gunzip.on('error', (e: Error & { statusCode?: number }) =>
      wrapped.destroy(
        e instanceof HttpError
          ? e
          : new HttpError(400, 'bad_request', `body is not valid gzip: ${e.message}`)
      )
    );
    Object.defineProperty(wrapped, 'receivedEncodedLength', {
      get: () => (limited as unknown as { receivedEncodedLength: number }).receivedEncodedLength
    });
    return gunzip.pipe(wrapped);
  };
}
