// TOTP (RFC 6238) through otplib: 6 digits, 30-second steps, SHA-1 (what authenticator apps
// expect). A code is accepted one step either side of now, for clocks that drift and people who
// type slowly; the step it matched is returned so the caller can refuse the same code again.
import { generateSecret, generateURI, verify } from 'otplib';

export const TOTP_ISSUER = 'Ringfence';
export const TOTP_STEP_SECONDS = 30;
/** Steps accepted either side of now. */
export const TOTP_WINDOW_STEPS = 1;

/** A new random secret, base32 (20 bytes, as authenticator apps expect). */
export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// URI a QR code is made from: issuer "Ringfence", labelled with the username. */
export function totpUri(username: string, secret: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: username, secret, period: TOTP_STEP_SECONDS });
}

/** Digits only, spaces allowed between them ("123 456"); null for anything else. */
export function normaliseCode(code: string): string | null {
  const digits = code.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** The time step the code matched, or null when it is wrong, outside the window, or not after `afterStep`. */
export async function verifyTotp(secret: string, code: string, nowMs: number, afterStep: number | null): Promise<number | null> {
  const token = normaliseCode(code);
  if (token === null) return null;
  try {
    const result = await verify({
      secret,
      token,
      epoch: Math.floor(nowMs / 1000),
      period: TOTP_STEP_SECONDS,
      epochTolerance: TOTP_WINDOW_STEPS * TOTP_STEP_SECONDS,
      ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    // otplib refuses an afterTimeStep ahead of the window (the clock went back): no code is valid then.
    return null;
  }
}
