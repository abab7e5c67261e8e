import { generateSecret, generateURI, verify } from 'otplib';
import { qrSvg } from '../qr.ts';
import type { Kysely } from 'kysely';
import type { Database, Role } from '../../store/schema.ts';
import { claimTotpStep } from '../../store/users.ts';

/**
 * Roles that must use TOTP when the organisation sets `requireTotp`: the roles that see client data
 * (therapist, supervisor) and the administrator, who manages the accounts that do (see docs/security.md).
 */
export const TOTP_REQUIRED_ROLES: readonly Role[] = ['therapist', 'supervisor', 'admin'];

export const TOTP_ISSUER = 'Spiegel';
/** Accept the previous and next 30-second step for clock drift (RFC 6238 §5.2). */
const TOLERANCE_SECONDS = 30;

export function totpRequiredFor(roles: readonly Role[], requireTotp: boolean): boolean {
  return requireTotp && roles.some((role) => TOTP_REQUIRED_ROLES.includes(role));
}

/** A fresh 160-bit secret, base32 encoded for authenticator apps. */
export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, account: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: account, secret });
}

/** The enrolment QR code as SVG markup (presentation attributes only: no inline style, CSP-safe). */
export async function totpQrSvg(uri: string): Promise<string> {
  return qrSvg(uri, { margin: 1, errorCorrectionLevel: 'M' });
}

/** The secret in groups of four, easier to type into an app by hand. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/**
 * Checks a code against a secret and claims its time step, so a code works once only (ASVS 2.8.4).
 * Anything but six digits is simply wrong: otplib throws on malformed tokens, we never let it.
 */
export async function checkTotp(db: Kysely<Database>, userId: string, secret: string, code: string): Promise<boolean> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return false;
  let result;
  try {
    result = await verify({ secret, token, epochTolerance: TOLERANCE_SECONDS });
  } catch {
    return false;
  }
  if (!result.valid || !('timeStep' in result)) return false;
  return claimTotpStep(db, userId, result.timeStep);
}
