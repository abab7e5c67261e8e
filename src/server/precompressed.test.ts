import { describe, expect, it } from 'vitest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { precompressed } from './precompressed.ts';

describe('precompressed pages', () => {
  const body = `<!doctype html><h1 id="thanks">Dank je wel</h1>${'<p>tekst</p>'.repeat(50)}`;

  it('picks the best encoding the client accepts, and none when it accepts none', () => {
    expect(precompressed('gzip, deflate, br', body)?.encoding).toBe('br');
    expect(precompressed('gzip', body)?.encoding).toBe('gzip');
    expect(precompressed('br;q=0, gzip', body)?.encoding).toBe('gzip');
    expect(precompressed('identity', body)).toBeNull();
    expect(precompressed(undefined, body)).toBeNull();
  });

  it('gives bytes that decompress to the page, compressed once per page and encoding', () => {
    const br = precompressed('br', body)!;
    const gzip = precompressed('gzip', body)!;
    expect(brotliDecompressSync(br.bytes).toString('utf8')).toBe(body);
    expect(gunzipSync(gzip.bytes).toString('utf8')).toBe(body);
    expect(br.bytes.length).toBeLessThan(Buffer.byteLength(body) / 5);
    expect(precompressed('br', body)!.bytes).toBe(br.bytes); // the same buffer: served from memory
    expect(precompressed('br', `${body} `)!.bytes).not.toBe(br.bytes);
  });
});
