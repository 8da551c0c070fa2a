#!/usr/bin/env node
import { buildApp } from './app.js';
import { TokenStore } from './auth/tokens.js';
import { recordAudit } from './audit.js';
import { loadConfig, parseArgs, usage } from './config.js';
import { openDatabase } from './db/database.js';
import { migrate } from './db/migrations.js';
import { Keyring } from './policy/keyring.js';
import { importAdvisories } from './policy/advisories-cli.js';

// Command line: serve (default), or bootstrap credentials and keys without a running server.

async function issue(kind: 'admin' | 'lab', flags: Record<string, string>) {
  const config = loadConfig(flags);
  if (kind === 'lab' && !flags.name) {
    throw new Error('lab create-token needs --name LAB');
  }
  const db = await openDatabase(config.db);
  try {
    await migrate(db);
    const name = flags.name || 'admin';
    const groups = flags.groups
      ? flags.groups
          .split(',')
          .map(g => g.trim())
          .filter(Boolean)
      : [];
    const out = await new TokenStore(db).issue({
      kind,
      name,
      user: flags.user ?? null,
      groups,
      createdBy: 'cli'
    });
    await recordAudit(db, 'cli', 'token.issue', `${kind}:${name}`, { id: out.id });
    process.stderr.write(
      `${kind} token '${name}' (id ${out.id}); it is shown once, store it now:\n`
    );
    process.stdout.write(out.token + '\n');
  } finally {
    await db.close();
  }
}

async function main(argv: string[]) {
  const { words, flags } = parseArgs(argv);
  if (flags.help) {
    process.stdout.write(usage() + '\n');
    return;
  }
  const cmd = words.join(' ');
  if (cmd === 'admin create-token') {
    return issue('admin', flags);
  }
  if (cmd === 'lab create-token') {
    return issue('lab', flags);
  }
  if (cmd.startsWith('advisories import')) {
    return importAdvisories(words.slice(2), flags);
  }
  if (cmd === 'key rotate') {
    const id = new Keyring(loadConfig(flags).keyDir).rotate();
    process.stdout.write(`active signing key is now ${id}\n`);
    return;
  }
  if (cmd !== '' && cmd !== 'serve') {
    throw new Error(`unknown command '${cmd}'\n${usage()}`);
  }
  const config = loadConfig(flags);
  const app = await buildApp(config);
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const address = await app.listen({ host: config.host, port: config.port });
  app.log.info(
    `Jupyter Warden central on ${address} (db: ${app.db.dialect}, ` +
      `signing key ${app.keyring.activeKeyId})`
  );
}

main(process.argv.slice(2)).catch(e => {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
});
