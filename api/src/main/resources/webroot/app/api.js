// REST calls (openapi.yaml) and the session: tokens kept in localStorage so a reload stays signed
// in, the access token refreshed before it expires, one refresh at a time across tabs
// (docs/sessions.md: two refreshes with one token end the session).
const KEY = "quiz.session";
const REFRESH_EARLY_MS = 60_000;
const ENDS_SESSION = new Set(["SESSION_REVOKED", "REFRESH_TOKEN_REUSED", "REFRESH_TOKEN_EXPIRED",
  "INVALID_REFRESH_TOKEN", "ACCOUNT_DISABLED"]);

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || "HTTP " + status);
    this.status = status;
    this.code = problem.code || (status >= 500 ? "SERVICE_UNAVAILABLE" : "INTERNAL_ERROR");
    this.errors = problem.errors || [];
  }
}

let refreshTimer = null;
let signedOutListener = () => {};

export function onSignedOut(listener) {
  signedOutListener = listener;
}

export function session() {
  try {
    return JSON.parse(localStorage.getItem(KEY));
  } catch {
    return null;
  }
}

function store(tokens) {
  const s = {
    user: tokens.user,
    accessToken: tokens.accessToken,
    accessExpiresAt: Date.now() + tokens.expiresIn * 1000,
    refreshToken: tokens.refreshToken,
  };
  localStorage.setItem(KEY, JSON.stringify(s));
  scheduleRefresh();
  return s;
}

export function scheduleRefresh() {
  clearTimeout(refreshTimer);
  const s = session();
  if (!s) return;
  const wait = Math.max(1000, s.accessExpiresAt - Date.now() - REFRESH_EARLY_MS);
  // A refresh that failed for a passing reason (offline, store down) is tried again a little later.
  refreshTimer = setTimeout(() => refresh().catch(() => {
    if (session()) refreshTimer = setTimeout(scheduleRefresh, 10_000);
  }), wait);
}

export function endSession(code) {
  clearTimeout(refreshTimer);
  localStorage.removeItem(KEY);
  signedOutListener(code);
}

async function request(method, path, body, token) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = "Bearer " + token;
  let res;
  try {
    res = await fetch("/api/v1" + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { code: "SERVICE_UNAVAILABLE" });
  }
  const text = await res.text();
  const json = text ? JSON.parse(text) : {};
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

export async function register(fields) {
  return store(await request("POST", "/auth/register", fields));
}

export async function login(loginName, password) {
  return store(await request("POST", "/auth/login", { login: loginName, password }));
}

export async function logout() {
  const s = session();
  if (s) await request("POST", "/auth/logout", undefined, s.accessToken).catch(() => {});
  endSession(null);
}

async function withLock(fn) {
  if (navigator.locks) return navigator.locks.request(KEY, fn);
  return fn();
}

/** Exchanges the refresh token once, unless another tab already did (then its tokens are used). */
export async function refresh() {
  const spent = session()?.refreshToken;
  return withLock(async () => {
    const s = session();
    if (!s) throw new ApiError(401, { code: "UNAUTHORIZED" });
    if (s.refreshToken !== spent && s.accessExpiresAt - Date.now() > REFRESH_EARLY_MS) {
      scheduleRefresh();
      return s;
    }
    try {
      return store(await request("POST", "/auth/refresh", { refreshToken: s.refreshToken }));
    } catch (e) {
      if (ENDS_SESSION.has(e.code)) endSession(e.code);
      throw e;
    }
  });
}

/** An access token valid for at least a while, refreshed first if needed. */
export async function accessToken(force = false) {
  const s = session();
  if (!s) throw new ApiError(401, { code: "UNAUTHORIZED" });
  if (force || s.accessExpiresAt - Date.now() < REFRESH_EARLY_MS / 2) return (await refresh()).accessToken;
  return s.accessToken;
}

/** A signed-in REST call; an expired token is refreshed and the call made once more. */
export async function call(method, path, body) {
  try {
    return await request(method, path, body, await accessToken());
  } catch (e) {
    if (e.code === "SESSION_REVOKED" || e.code === "ACCOUNT_DISABLED") {
      endSession(e.code);
    } else if (e.code === "UNAUTHORIZED") {
      return request(method, path, body, await accessToken(true));
    }
    throw e;
  }
}

export const get = (path) => call("GET", path);
