import negotiate from '@fastify/accept-negotiator';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

// The client form's thanks and invalid-link pages are the same bytes for every client of an
// organisation and language, and they are the answer to every submit: compressing them anew per
// request (about 160 µs with Brotli, several per cent of a submit's CPU) buys nothing. They are
// compressed once, at the highest level, and served from memory. @fastify/compress leaves a
// response alone once it carries a Content-Encoding.

const MAX_ENTRIES = 64; // a handful of variants per organisation (language × crisis contacts)
const cache = new Map<string, Buffer>();

export interface Precompressed {
  encoding: 'br' | 'gzip';
  bytes: Buffer;
}

/** The body compressed in the best encoding the client accepts, or null if it accepts none. */
export function precompressed(acceptEncoding: string | undefined, body: string): Precompressed | null {
  const encoding = negotiate(acceptEncoding ?? '', ['br', 'gzip']);
  if (encoding === null) return null;
  const key = `${encoding}\n${body}`;
  let bytes = cache.get(key);
  if (!bytes) {
    bytes =
      encoding === 'br'
        ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } })
        : gzipSync(body, { level: 9 });
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(key, bytes);
  }
  return { encoding, bytes };
}
