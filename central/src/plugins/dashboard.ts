import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import '../plugins/types.js';

// The dashboard's static files: public, and only the files that exist (no wildcard route,
// so an unknown path is a 404 and never reaches a file server).

function findPublicDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'public', 'index.html'))) {
      return join(dir, 'public');
    }
    const up = dirname(dir);
    if (up === dir) {
      throw new Error('dashboard files (public/index.html) not found');
    }
    dir = up;
  }
}

/** The chart library's browser build, served from its npm package: no CDN, no copy in git. */
export const VENDOR_FILES = ['chart.umd.min.js'];

function chartJsDist(): string {
  return dirname(createRequire(import.meta.url).resolve('chart.js'));
}

// Encapsulated on purpose: this onRoute hook marks only the static routes as public.
export default async function dashboard(app: FastifyInstance) {
  app.addHook('onRoute', route => {
    route.config = { ...(route.config ?? {}), auth: 'public' };
  });
  await app.register(fastifyStatic, {
    root: findPublicDir(),
    prefix: '/',
    index: ['index.html'],
    wildcard: false
  });
  // One route per vendor file (not the package's whole dist folder).
  const vendor = chartJsDist();
  for (const file of VENDOR_FILES) {
    app.get(`/vendor/${file}`, (_req, reply) => reply.sendFile(file, vendor));
  }
}
