import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { SpiegelError } from '../domain/errors.ts';

/**
 * Encryption at rest for everything a therapist writes in the reflection area (journal entries,
 * self-check answers, practice notes, supervisor comments): AES-256-GCM from node:crypto, a fresh
 * 96-bit IV per write, the 128-bit tag checked on every read, and additional authenticated data that
 * binds each ciphertext to its table, row, organisation and owner (a ciphertext copied into another
 * row does not decrypt).
 *
 * Keys come from the environment:
 *   SPIEGEL_JOURNAL_KEY       base64 of 32 random bytes: the current key (encrypts; decrypts)
 *   SPIEGEL_JOURNAL_KEYS_OLD  comma-separated base64 keys that still decrypt (during a rotation)
 * Each ciphertext row stores the key ID (a fingerprint of the key, never the key). Rotation: make the
 * new key current, list the old one in SPIEGEL_JOURNAL_KEYS_OLD, run `rotateReflectionKeys`
 * (reflection-rotate.ts), then drop the old key. In demo mode without a key Spiegel uses a publicly
 * known development key and logs a warning; outside demo mode a missing key stops the start.
 */

export interface Keyring {
  current: { id: string; key: Buffer };
  keys: Map<string, Buffer>;
  /** True for the publicly known development key: never for real data. */
  development: boolean;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const DEVELOPMENT_SEED = 'spiegel-development-journal-key-v1 (publicly known; demo data only)';

/** The key's public fingerprint, stored with each ciphertext. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('spiegel-journal-key-id\0').update(key).digest('hex').slice(0, 16);
}

export function parseKey(base64: string, setting: string): Buffer {
  const trimmed = base64.trim();
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (key.length !== 32) {
    throw new SpiegelError(
      'CONFIG_INVALID',
      `${setting} is not valid: expected the base64 encoding of 32 random bytes (for example: openssl rand -base64 32).`,
      { setting },
    );
  }
  return key;
}

export function keyringFromKeys(current: Buffer, old: Buffer[] = [], development = false): Keyring {
  const keys = new Map<string, Buffer>();
  for (const key of [current, ...old]) keys.set(keyId(key), key);
  return { current: { id: keyId(current), key: current }, keys, development };
}

export function developmentKey(): Buffer {
  return createHash('sha256').update(DEVELOPMENT_SEED).digest();
}

export const DEVELOPMENT_KEY_WARNING =
  'SPIEGEL_JOURNAL_KEY is not set: reflections are encrypted with the publicly known development key (demo mode only). Set SPIEGEL_JOURNAL_KEY before storing real reflections.';

/** The keyring from the environment; `warning` is set when the development key is used. */
export function keyringFromEnv(
  env: Record<string, string | undefined>,
  demoMode: boolean,
): { keyring: Keyring; warning: string | null } {
  const old = (env.SPIEGEL_JOURNAL_KEYS_OLD ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => parseKey(s, 'SPIEGEL_JOURNAL_KEYS_OLD'));
  const raw = env.SPIEGEL_JOURNAL_KEY;
  if (raw && raw.trim() !== '')
    return { keyring: keyringFromKeys(parseKey(raw, 'SPIEGEL_JOURNAL_KEY'), old), warning: null };
  if (!demoMode) {
    throw new SpiegelError(
      'CONFIG_INVALID',
      'SPIEGEL_JOURNAL_KEY must be set outside demo mode: reflections are encrypted at rest (see docs/reflection.md).',
      { setting: 'SPIEGEL_JOURNAL_KEY' },
    );
  }
  return { keyring: keyringFromKeys(developmentKey(), old, true), warning: DEVELOPMENT_KEY_WARNING };
}

export interface Sealed {
  keyId: string;
  ciphertext: string;
}

/** Encrypts a JSON value with the current key, bound to `aad`. */
export function seal(keyring: Keyring, value: unknown, aad: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyring.current.key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return { keyId: keyring.current.id, ciphertext: `${VERSION}.${Buffer.concat([iv, tag, body]).toString('base64')}` };
}

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

/** Decrypts and parses; throws DecryptionError for a wrong key, a tampered row or another row's data. */
export function open<T>(keyring: Keyring, sealed: Sealed, aad: string): T {
  const key = keyring.keys.get(sealed.keyId);
  if (!key) {
    throw new SpiegelError(
      'CONFIG_INVALID',
      `Reflection data is encrypted with key ${sealed.keyId}, which is not configured: add it to SPIEGEL_JOURNAL_KEYS_OLD.`,
      { keyId: sealed.keyId },
    );
  }
  const [version, payload] = sealed.ciphertext.split('.', 2);
  if (version !== VERSION || !payload) throw new DecryptionError('Unknown ciphertext format.');
  const bytes = Buffer.from(payload, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new DecryptionError('Ciphertext too short.');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  } catch {
    throw new DecryptionError('The ciphertext does not decrypt with this key and binding.');
  }
}

/** The binding of a ciphertext to its row: table, row id, organisation and owner. */
export function aadFor(table: string, id: string, orgId: string, ownerId: string): string {
  return `spiegel/${table}/${id}/${orgId}/${ownerId}`;
}
