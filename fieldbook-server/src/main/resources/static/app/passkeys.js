// Passkeys (WebAuthn) with the server's ceremonies (docs/api.md, "Passkeys"): the server hands out options
// with a challenge, the browser's authenticator answers them, the server verifies the answer. Byte strings
// travel as base64url text both ways, as Spring Security's WebAuthn support reads and writes them.
import { request } from './api.js';

/** Whether this browser can make and use passkeys at all. */
export function passkeysSupported() {
  return typeof window.PublicKeyCredential === 'function' && !!navigator.credentials;
}

/** The person cancelled the browser's passkey dialog, or it timed out: not an error to explain. */
export function cancelled(failure) {
  return failure?.name === 'NotAllowedError' || failure?.name === 'AbortError';
}

/**
 * Registers a new passkey of the signed-in person under {@code label}, confirming it is them with their
 * {@code password} first; answers the stored passkey.
 */
export async function registerPasskey(label, password) {
  const options = await request('POST', '/api/v1/auth/passkeys/registration-options', { password });
  const created = await navigator.credentials.create({
    publicKey: {
      ...options,
      challenge: decode(options.challenge),
      user: { ...options.user, id: decode(options.user.id) },
      excludeCredentials: (options.excludeCredentials || []).map((credential) => ({ ...credential, id: decode(credential.id) })),
    },
  });
  const { response } = created;
  const credential = {
    id: created.id,
    rawId: encode(created.rawId),
    type: created.type,
    response: {
      attestationObject: encode(response.attestationObject),
      clientDataJSON: encode(response.clientDataJSON),
      transports: response.getTransports ? response.getTransports() : [],
    },
    clientExtensionResults: created.getClientExtensionResults(),
    authenticatorAttachment: created.authenticatorAttachment,
  };
  return request('POST', '/api/v1/auth/passkeys', { label, credential });
}

/** Signs in with any passkey of Fieldbook on this device; answers the session ({user, expiresAt}). */
export async function signInWithPasskey() {
  const options = await request('POST', '/api/v1/auth/passkey-session/options');
  const got = await navigator.credentials.get({
    publicKey: {
      ...options,
      challenge: decode(options.challenge),
      allowCredentials: (options.allowCredentials || []).map((credential) => ({ ...credential, id: decode(credential.id) })),
    },
  });
  const { response } = got;
  return request('POST', '/api/v1/auth/passkey-session', {
    id: got.id,
    rawId: encode(got.rawId),
    type: got.type,
    response: {
      authenticatorData: encode(response.authenticatorData),
      clientDataJSON: encode(response.clientDataJSON),
      signature: encode(response.signature),
      userHandle: response.userHandle ? encode(response.userHandle) : undefined,
    },
    clientExtensionResults: got.getClientExtensionResults(),
    authenticatorAttachment: got.authenticatorAttachment,
  });
}

function encode(buffer) {
  let binary = '';
  for (const byte of new Uint8Array(buffer)) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decode(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (character) => character.charCodeAt(0)).buffer;
}
