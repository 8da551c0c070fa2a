import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Ed25519 signing keys live as PKCS#8 PEM files in one folder (`<key_id>.pem`); the file
// named in `active` signs. Rotation adds a key and moves `active`; old keys stay listed
// so labs that pinned them can move over.

export interface PublicKeyInfo {
  key_id: string;
  alg: 'Ed25519';
  public_key: string;
  public_key_pem: string;
  active: boolean;
}

export function keyIdOf(pub: KeyObject): string {
  const raw = rawPublicKey(pub);
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

function rawPublicKey(pub: KeyObject): Buffer {
  // SPKI DER of Ed25519 is a 12-byte header followed by the 32-byte key.
  const der = pub.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32);
}

export class Keyring {
  private keys = new Map<string, { priv: KeyObject; pub: KeyObject }>();
  private activeId = '';

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.load();
    if (this.keys.size === 0) this.rotate();
  }

  private load() {
    this.keys.clear();
    for (const f of readdirSync(this.dir)) {
      if (!f.endsWith('.pem')) continue;
      const priv = createPrivateKey(readFileSync(join(this.dir, f)));
      const pub = createPublicKey(priv);
      this.keys.set(keyIdOf(pub), { priv, pub });
    }
    const activeFile = join(this.dir, 'active');
    const wanted = existsSync(activeFile) ? readFileSync(activeFile, 'utf8').trim() : '';
    this.activeId = this.keys.has(wanted) ? wanted : ([...this.keys.keys()].sort()[0] ?? '');
  }

  /** Makes a new key the signing key; returns its id. */
  rotate(): string {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pub = createPublicKey(privateKey);
    const id = keyIdOf(pub);
    writeFileSync(join(this.dir, `${id}.pem`), privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    writeFileSync(join(this.dir, 'active'), id + '\n', { mode: 0o600 });
    this.load();
    return id;
  }

  get activeKeyId(): string {
    return this.activeId;
  }

  sign(payload: Buffer): { key_id: string; signature: Buffer } {
    const k = this.keys.get(this.activeId)!;
    return { key_id: this.activeId, signature: sign(null, payload, k.priv) };
  }

  publicKeys(): PublicKeyInfo[] {
    return [...this.keys.entries()].map(([id, k]) => ({
      key_id: id,
      alg: 'Ed25519',
      public_key: rawPublicKey(k.pub).toString('base64url'),
      public_key_pem: String(k.pub.export({ format: 'pem', type: 'spki' })),
      active: id === this.activeId,
    }));
  }
}
