import fp from 'fastify-plugin';
import { newAjv } from '../contracts.js';
import { errorHandler, HttpError, sendError } from '../http/errors.js';
import { jsonDepth, MAX_JSON_DEPTH, storable, UNSTORABLE } from '../http/json.js';
import { policyDocumentSchema } from '../http/route-schemas.js';
import './types.js';

const CSP = [
  "default-src 'self'",
  "img-src 'self' blob: data:",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'"
].join('; ');

// HTTP conventions shared by every route: one error shape, JSON bodies of bounded depth,
// route schemas compiled with the contracts' JSON Schema dialect, security headers.
export default fp(
  async app => {
    const ajv = newAjv();
    ajv.addSchema(policyDocumentSchema(app.contracts.schemas.policy));
    for (const body of app.contracts.bodySchemas) {
      ajv.addSchema(body);
    }
    app.setValidatorCompiler(({ schema }) => ajv.compile(schema));

    app.setErrorHandler(errorHandler);
    // Unknown routes and methods: a fixed answer that echoes nothing but the method.
    app.setNotFoundHandler((req, reply) =>
      sendError(reply, 404, `no such route for ${req.method}`)
    );

    // Fastify's parser, after a depth check: validation and storage recurse over the value.
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
      const text = String(body);
      if (jsonDepth(text) > MAX_JSON_DEPTH) {
        return done(
          new HttpError(400, 'bad_request', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`),
          undefined
        );
      }
      parseJson(req, text, done);
    });

    // Strings the database cannot hold (NUL, lone surrogates) are the client's error: 400
    // before any handler, on every route (query, path and body), never a database 500.
    app.addHook('preValidation', async (req, reply) => {
      if (!storable(req.query) || !storable(req.params)) {
        return sendError(reply, 400, `the request URL ${UNSTORABLE}`);
      }
      let body = req.body;
      const apart = req.routeOptions.config.checkedApart;
      if (apart && body && typeof body === 'object' && !Array.isArray(body)) {
        body = { ...(body as Record<string, unknown>), [apart]: undefined };
      }
      if (!storable(body)) {
        return sendError(reply, 400, `the request body ${UNSTORABLE}`);
      }
    });

    // Responses finished after close() began ask the client to drop the connection; otherwise
    // the kept-alive socket would hold the shutdown open for the keep-alive timeout.
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    app.addHook('onSend', async (req, reply, payload) => {
      if (closing) {
        reply.header('connection', 'close');
      }
      if (req.routeOptions.config.auth === 'public') {
        // The dashboard's own pages: no inline script or style, no framing, no sniffing.
        reply.header('content-security-policy', CSP);
        reply.header('x-frame-options', 'DENY');
      }
      reply.header('x-content-type-options', 'nosniff');
      return payload;
    });
  },
  { name: 'warden-http', dependencies: ['warden-core'] }
);
