import { describe, expect, it } from 'vitest';
import { apaChiSquare, apaF, apaR, apaT, formatCi, formatNumber, formatP } from './apa.ts';

describe('APA strings', () => {
  it('t with d, English and Dutch', () => {
    const r = { t: 7.6166, df: 817, p: 1e-13, d: 0.6154 };
    expect(apaT(r, 'en')).toBe('t(817) = 7.62, p < .001, d = 0.62');
    expect(apaT(r, 'nl')).toBe('t(817) = 7,62, p < ,001, d = 0,62');
  });

  it('Welch df with two decimals, negative t, exact p', () => {
    expect(apaT({ t: -2.5435, df: 321.806, p: 0.01145 })).toBe('t(321.81) = -2.54, p = .011');
    expect(apaT({ t: -2.5435, df: 321.806, p: 0.01145 }, 'nl')).toBe('t(321,81) = -2,54, p = ,011');
  });

  it('F with η²; Dutch separates df with a semicolon', () => {
    const r = { F: 4.6426, df1: 3, df2: 41, p: 0.006946, etaSquared: 0.2536 };
    expect(apaF(r, 'en')).toBe('F(3, 41) = 4.64, p = .007, η² = .25');
    expect(apaF(r, 'nl')).toBe('F(3; 41) = 4,64, p = ,007, η² = ,25');
    expect(apaF({ F: 2.9885, df1: 3, df2: 11.774, p: 0.0743 }, 'nl')).toBe('F(3; 11,77) = 2,99, p = ,074');
  });

  it('χ² with N', () => {
    expect(apaChiSquare({ chisq: 7.686, df: 2, p: 0.02143, n: 47 })).toBe('χ²(2, N = 47) = 7.69, p = .021');
    expect(apaChiSquare({ chisq: 7.686, df: 2, p: 0.02143, n: 47 }, 'nl')).toBe('χ²(2; N = 47) = 7,69, p = ,021');
    expect(apaChiSquare({ chisq: 0.4824, df: 1, p: 0.4873 })).toBe('χ²(1) = 0.48, p = .487');
  });

  it('r without a leading zero; Spearman as rs', () => {
    expect(apaR({ r: 0.35487, df: 35, p: 0.03115 })).toBe('r(35) = .35, p = .031');
    expect(apaR({ r: -0.35487, df: 35, p: 0.03115 }, 'nl')).toBe('r(35) = -,35, p = ,031');
    expect(apaR({ r: 0.45756, df: 35, p: 0.0044 }, 'en', 'rs')).toBe('rs(35) = .46, p = .004');
  });

  it('p at the edges', () => {
    expect(formatP(0.001)).toBe('p = .001');
    expect(formatP(0.000999)).toBe('p < .001');
    expect(formatP(0)).toBe('p < .001');
    expect(formatP(1)).toBe('p > .999');
    expect(formatP(0.5, 'nl')).toBe('p = ,500');
  });

  it('numbers: no negative zero, CI labels', () => {
    expect(formatNumber(-0.001, 2)).toBe('0.00');
    expect(formatNumber(-0.004, 2, 'nl')).toBe('0,00');
    expect(formatCi([0.454, 0.776])).toBe('95% CI [0.45, 0.78]');
    expect(formatCi([0.454, 0.776], 0.95, 'nl')).toBe('95%-BI [0,45; 0,78]');
  });

  it('never prints NaN or Infinity: it throws', () => {
    expect(() => apaT({ t: NaN, df: 10, p: 0.5 })).toThrow(/finite number/);
    expect(() => apaF({ F: Infinity, df1: 1, df2: 10, p: 0 })).toThrow(/finite number/);
    expect(() => formatP(1.2)).toThrow(/\[0, 1\]/);
    expect(() => apaT({ t: 1, df: 10, p: 0.3 }, 'de' as 'en')).toThrow(/Unknown report language/);
  });
});
