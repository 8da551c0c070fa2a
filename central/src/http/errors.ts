import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

// One error shape for every client-facing failure: {"error": code, "message": text}.

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** Sets Retry-After (seconds) on the answer: 429 and 503. */
    readonly retryAfterSeconds?: number
  ) {
    super(message);
  }
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable'
};

export function sendError(
  reply: FastifyReply,
  status: number,
  message: string,
  code = CODES[status] ?? 'error',
  retryAfterSeconds?: number
) {
  if (status === 401) {
    reply.header('www-authenticate', 'Bearer');
  }
  if (status === 503) {
    reply.header('retry-after', '5');
  }
  if (retryAfterSeconds !== undefined) {
    reply.header('retry-after', String(retryAfterSeconds));
  }
  return reply.code(status).type('application/json').send({ error: code, message });
}

// Database or network trouble that a retry may cure: answer 503 + Retry-After, not 500.
// 40001/40P01: serialisation failure or deadlock between replicas; the retry succeeds.
const UNAVAILABLE = new Set([
  '40001',
  '40P01',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '3D000',
  'SQLITE_BUSY',
  'SQLITE_LOCKED'
]);

const FASTIFY_ERRORS: Record<string, [number, string]> = {
  FST_ERR_BAD_URL: [400, 'the request path is not a valid URL'],
  FST_ERR_ASYNC_CONSTRAINT: [400, 'the request cannot be routed'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [
    400,
    'body must not be empty when Content-Type is application/json'
  ],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'body is not valid JSON'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'Content-Length does not match the body'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'request body is larger than the limit'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'body must be application/json'],
  FST_ERR_CTP_INVALID_TYPE: [415, 'body must be application/json']
};

function isUnavailable(err: { code?: string; message?: string }): boolean {
  const code = String(err.code ?? '');
  return (
    UNAVAILABLE.has(code) ||
    code.startsWith('08') ||
    /Connection terminated|connection timeout|Client has encountered a connection error/i.test(
      err.message ?? ''
    )
  );
}

export function errorHandler(
  err: FastifyError & { code?: string },
  req: FastifyRequest,
  reply: FastifyReply
) {
  if (err instanceof HttpError) {
    return sendError(reply, err.statusCode, err.message, err.code, err.retryAfterSeconds);
  }
  const status = err.statusCode ?? 500;
  // Fastify's own failures (FST_ERR_BAD_URL, FST_ERR_CTP_*...) keep the API's error shape and
  // a message of ours: their texts can echo internals.
  const own = FASTIFY_ERRORS[String(err.code)];
  if (own) {
    return sendError(reply, own[0], own[1]);
  }
  if (status === 429) {
    return sendError(reply, 429, err.message || 'too many requests');
  }
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) {
    return sendError(reply, 413, 'request body is larger than the limit');
  }
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
    return sendError(reply, 415, 'body must be application/json');
  }
  if (err.validation) {
    return sendError(reply, 400, err.message);
  }
  if (status >= 400 && status < 500) {
    // Parser messages (bad JSON, empty body) are safe to show; they name no internals.
    return sendError(reply, status, err.message || 'bad request');
  }
  if (status === 503 || isUnavailable(err)) {
    req.log.warn({ err: err.message, code: err.code }, 'database unavailable');
    return sendError(reply, 503, 'the service cannot reach its database; retry later');
  }
  req.log.error({ err }, 'request failed');
  return sendError(reply, 500, 'internal error', 'internal');
}

/** Errors the router raises before any route runs (Fastify's frameworkErrors). */
export function frameworkError(err: FastifyError, _req: FastifyRequest, reply: FastifyReply) {
  const [status, message] = FASTIFY_ERRORS[String(err.code)] ?? [
    400,
    'the request cannot be routed'
  ];
  return sendError(reply, status, message);
}
