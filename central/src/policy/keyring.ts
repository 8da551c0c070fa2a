import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject
} from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync
} from 'node:fs';
import { join } from 'node:path';

// Ed25519 signing keys live as PKCS#8 PEM files in one folder (`<key_id>.pem`); the file
// named in `active` signs. Rotation adds a key and moves `active`; old keys stay listed
// so labs that pinned them can move over. Replicas share the folder: each re-reads it when
// its listing or `active` changes (checked at most once a second when signing, on every
// GET /keys), so a rotation by any process reaches every replica within a second, and a key
// is listed wherever it may already sign.

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
  private seen = '';
  private checkedAt = 0;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.load();
    if (this.keys.size === 0) {
      this.rotate();
    }
  }

  /** What the folder holds now: the key files and the active id. */
  private stamp(): string {
    const files = readdirSync(this.dir)
      .filter(f => f.endsWith('.pem'))
      .sort();
    const activeFile = join(this.dir, 'active');
    return (
      files.join(',') +
      '|' +
      (existsSync(activeFile) ? readFileSync(activeFile, 'utf8').trim() : '')
    );
  }

  /** Re-reads the folder if another process changed it (at most once per maxAgeMs). */
  refresh(maxAgeMs = 1000) {
    const now = Date.now();
    if (now - this.checkedAt < maxAgeMs) {
      return;
    }
    this.checkedAt = now;
    if (this.stamp() !== this.seen) {
      this.load();
    }
  }

  private load() {
    this.seen = this.stamp();
    this.keys.clear();
    for (const f of readdirSync(this.dir)) {
      if (!f.endsWith('.pem')) {
        continue;
      }
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
    // Written aside and renamed, so a replica re-reading the folder never sees half a file.
    const put = (name: string, data: string) => {
      writeFileSync(join(this.dir, `.${name}.tmp`), data, { mode: 0o600 });
      renameSync(join(this.dir, `.${name}.tmp`), join(this.dir, name));
    };
    put(`${id}.pem`, String(privateKey.export({ format: 'pem', type: 'pkcs8' })));
    put('active', id + '\n');
    this.load();
    return id;
  }

  get activeKeyId(): string {
    this.refresh();
    return this.activeId;
  }

  sign(payload: Buffer): { key_id: string; signature: Buffer } {
    this.refresh();
    const k = this.keys.get(this.activeId)!;
    return { key_id: this.activeId, signature: sign(null, payload, k.priv) };
  }

  publicKeys(): PublicKeyInfo[] {
    this.refresh(0);
    return [...this.keys.entries()].map(([id, k]) => ({
      key_id: id,
      alg: 'Ed25519',
      public_key: rawPublicKey(k.pub).toString('base64url'),
      public_key_pem: String(k.pub.export({ format: 'pem', type: 'spki' })),
      active: id === this.activeId
    }));
  }
}
