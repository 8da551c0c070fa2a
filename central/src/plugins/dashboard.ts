import { existsSync } from 'node:fs';
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
}
