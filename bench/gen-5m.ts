/**
 * Generates a ~5M-row routine-outcome set with the model of reference/mixed/make_mixed_refs.R
 * (10,000 therapists, 500,000 patients by default) into bench/data/mixed-5m/ (gitignored):
 * sessions.csv.gz, patients.csv.gz and generator.json. R's random streams are not reproduced;
 * the model, its parameters and the file layout are.
 *   npm run bench -- gen-5m [--therapists 10000] [--patients 500000] [--seed 20240601] [--sd-therapist 1] [--out DIR]
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { report } from './_report.ts';

const args = process.argv.slice(2);
const opt = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : def;
};
const J = Number(opt('therapists', '10000'));
const P = Number(opt('patients', '500000'));
const seed = Number(opt('seed', '20240601'));
const sdTher = Number(opt('sd-therapist', '1'));
const meanSessions = Number(opt('mean-sessions', '10'));
const sdP1 = Number(opt('sd-slope', '0.5'));
const out = opt('out', fileURLToPath(new URL('./data/mixed-5m/', import.meta.url)));

/** xoshiro128** seeded by splitmix32: small, fast, and good enough for simulation. */
function rng(seed32: number): () => number {
  let x = seed32 >>> 0;
  const sm = (): number => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const s = [sm(), sm(), sm(), sm()];
  const next = (): number => {
    const r = Math.imul(((Math.imul(s[1], 5) << 7) | (Math.imul(s[1], 5) >>> 25)) >>> 0, 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = ((s[3] << 11) | (s[3] >>> 21)) >>> 0;
    return r;
  };
  // 53-bit uniform in (0, 1)
  return () => ((next() >>> 5) * 67108864 + (next() >>> 6) + 0.5) / 9007199254740992;
}

const unif = rng(seed);
let spare: number | null = null;
function rnorm(): number {
  if (spare !== null) {
    const v = spare;
    spare = null;
    return v;
  }
  for (;;) {
    const u = 2 * unif() - 1;
    const v = 2 * unif() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) {
      const f = Math.sqrt((-2 * Math.log(s)) / s);
      spare = v * f;
      return u * f;
    }
  }
}
function rpois(mu: number): number {
  const l = Math.exp(-mu);
  let k = 0;
  let p = unif();
  while (p > l) {
    k++;
    p *= unif();
  }
  return k;
}

const t0 = performance.now();
mkdirSync(out, { recursive: true });
// Therapist caseload weights are log-normal; patients are drawn with these weights, then sorted.
const cum = new Float64Array(J);
let acc = 0;
for (let j = 0; j < J; j++) cum[j] = acc += Math.exp(0.6 * rnorm());
const ther = new Int32Array(P);
for (let i = 0; i < P; i++) {
  const r = unif() * acc;
  let lo = 0;
  let hi = J - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] < r) lo = mid + 1;
    else hi = mid;
  }
  ther[i] = lo + 1;
}
ther.sort();
const u = Float64Array.from({ length: J + 1 }, () => sdTher * rnorm());
const beta = { b0: 24, session: -1.2, intake: 0.8, sxi: -0.03, age: 0.02, female: 0.5 };
const [sdP0, rho, sdE] = [4.0, -0.3, 3.0];

const sessions = createGzip({ level: 4 });
const patients = createGzip({ level: 4 });
const files = [createWriteStream(join(out, 'sessions.csv.gz')), createWriteStream(join(out, 'patients.csv.gz'))];
sessions.pipe(files[0]);
patients.pipe(files[1]);
const write = async (s: typeof sessions, text: string): Promise<void> => {
  if (!s.write(text)) await once(s, 'drain');
};
let sbuf = '"therapist","patient","session","intake_c","score"\n';
let pbuf = '"therapist","patient","intake_c","age_c","female","n_sessions","post"\n';
let rows = 0;
const r4 = (v: number): number => Math.round(v * 1e4) / 1e4;
for (let i = 0; i < P; i++) {
  const ns = Math.min(2 + rpois(meanSessions - 2), 30);
  const ic = r4(6 * rnorm());
  const age = Math.min(Math.max(Math.round(38 + 12 * rnorm()), 18), 80) - 38;
  const female = unif() < 0.65 ? 1 : 0;
  const z0 = rnorm();
  const z1 = rnorm();
  const r0 = sdP0 * z0;
  const r1 = sdP1 * (rho * z0 + Math.sqrt(1 - rho * rho) * z1);
  const j = ther[i];
  let last = 0;
  for (let s = 0; s < ns; s++) {
    const mu =
      beta.b0 +
      beta.session * s +
      beta.intake * ic +
      beta.sxi * s * ic +
      beta.age * age +
      beta.female * female +
      u[j] +
      r0 +
      r1 * s;
    last = r4(mu + sdE * rnorm());
    sbuf += `${j},${i + 1},${s},${ic},${last}\n`;
    rows++;
  }
  pbuf += `${j},${i + 1},${ic},${age},${female},${ns},${last}\n`;
  if (sbuf.length > 1 << 20) {
    await write(sessions, sbuf);
    sbuf = '';
  }
  if (pbuf.length > 1 << 20) {
    await write(patients, pbuf);
    pbuf = '';
  }
}
await write(sessions, sbuf);
await write(patients, pbuf);
sessions.end();
patients.end();
await Promise.all(files.map((f) => once(f, 'close')));
writeFileSync(
  join(out, 'generator.json'),
  JSON.stringify(
    {
      script: 'bench/gen-5m.ts',
      model: 'make_mixed_refs.R',
      seed,
      therapists: J,
      patients: P,
      sd_therapist: sdTher,
      mean_sessions: meanSessions,
      sd_patient_slope: sdP1,
      session_rows: rows,
    },
    null,
    2,
  ) + '\n',
);
report({ bench: 'gen-5m', metric: 'session_rows', value: rows, unit: 'rows', out });
report({ bench: 'gen-5m', metric: 'seconds', value: (performance.now() - t0) / 1000, unit: 's' });
