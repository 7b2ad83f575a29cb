// Calls to the server's JSON API with the web session cookie and the CSRF token (docs/api.md, "CSRF").

/** The server could not be reached (no network, or the connection broke). */
export class Unreachable extends Error {
}

/** The server answered with an error; {@code problem} is its RFC 9457 body when it sent one. */
export class Refused extends Error {
  constructor(status, problem, retryAfter) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.retryAfter = retryAfter;
  }
}

const SAFE = new Set(['GET', 'HEAD']);

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : null;
}

let fetchingToken = null;

/**
 * The CSRF token for a write. The server keeps the XSRF-TOKEN cookie as long as the session and sets it on any
 * answer to a request without one; when it is missing (the first write after the browser was opened again,
 * before the server has answered anything), one request asks for it, however many writes wait.
 */
async function tokenForWrite() {
  if (!csrfToken()) {
    fetchingToken ??= fetch('/api/v1/auth/me', { credentials: 'same-origin' }).catch(() => null)
      .finally(() => { fetchingToken = null; });
    await fetchingToken;
  }
  return csrfToken();
}

/**
 * The response to a request made by {@code send} with the CSRF token of a write ({@code write}) or none. A write
 * refused for its token (403 csrf-token: a sign-in, here or in another tab, set a new token while it was on its way)
 * goes once more with the token as it is now; any other answer is kept. Throws Unreachable when no answer came.
 */
async function sent(write, send) {
  try {
    let response = await send(write ? await tokenForWrite() : null);
    if (write && response.status === 403) {
      const problem = await response.clone().json().catch(() => null);
      if (String(problem?.type || '').endsWith('/csrf-token')) {
        response = await send(await tokenForWrite());
      }
    }
    return response;
  } catch (failure) {
    throw new Unreachable(failure.message);
  }
}

/** Sends a request; answers the parsed JSON body (null for none), throws Unreachable or Refused. */
export async function request(method, path, body, extraHeaders = {}) {
  const headers = { Accept: 'application/json', ...extraHeaders };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await sent(!SAFE.has(method), (token) => fetch(path, {
    method,
    headers: token ? { ...headers, 'X-XSRF-TOKEN': token } : headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  }));
  let answer = null;
  try {
    const text = await response.text();
    answer = text ? JSON.parse(text) : null;
  } catch (failure) {
    if (response.ok) {
      throw new Unreachable('The answer was cut off: ' + failure.message);
    }
  }
  if (!response.ok) {
    throw new Refused(response.status, answer, response.headers.get('Retry-After'));
  }
  return answer;
}

/** Appends bytes to a resumable photo upload at {@code offset} (docs/sync-protocol.md, "Photos"). */
export async function append(path, bytes, offset, extraHeaders = {}) {
  const headers = {
    Accept: 'application/json', 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': String(offset),
    ...extraHeaders,
  };
  const response = await sent(true, (token) => fetch(path, {
    method: 'PATCH', headers: token ? { ...headers, 'X-XSRF-TOKEN': token } : headers, credentials: 'same-origin',
    body: bytes,
  }));
  const text = await response.text().catch(() => '');
  let answer = null;
  try {
    answer = text ? JSON.parse(text) : null;
  } catch (cutOff) {
    throw new Unreachable('The answer was cut off.');
  }
  if (!response.ok) {
    throw new Refused(response.status, answer, response.headers.get('Retry-After'));
  }
  return answer;
}
