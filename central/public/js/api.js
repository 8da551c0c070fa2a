// The admin API with the dashboard's session token (central/API.md).

let session = sessionStorage.getItem('warden.session');
let onSignedOut = () => {};

export const hasSession = () => Boolean(session);

export function whenSignedOut(fn) {
  onSignedOut = fn;
}

export async function api(method, path, body) {
  const headers = { authorization: `Bearer ${session}` };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  if (res.status === 401) {
    signOut();
    throw new Error('session ended: sign in again');
  }
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const err = new Error(json?.message ?? `HTTP ${res.status}`);
    err.status = res.status;
    err.body = json;
    throw err;
  }
  return json;
}

export async function signIn(token) {
  const res = await fetch('/api/v1/auth/session', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` }
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    throw new Error(body.message ?? `HTTP ${res.status}`);
  }
  session = body.session_token;
  sessionStorage.setItem('warden.session', session);
}

export function signOut() {
  if (session) {
    fetch('/api/v1/auth/session', {
      method: 'DELETE',
      headers: { authorization: `Bearer ${session}` }
    }).catch(() => {});
  }
  session = null;
  sessionStorage.removeItem('warden.session');
  onSignedOut();
}

export async function download(path, filename) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${session}` } });
  const blob = await res.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
}

let catalog;
/** The rule catalog and the default policy (GET /admin/catalog), fetched once per session. */
export async function getCatalog() {
  catalog ??= api('GET', '/api/v1/admin/catalog').then(c => ({
    ...c,
    byId: new Map(c.rules.map(r => [r.id, r]))
  }));
  return catalog.catch(e => {
    catalog = undefined;
    throw e;
  });
}
