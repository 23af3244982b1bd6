// The authorization code + PKCE flow against a running Gatehouse, driven by openid-client
// (a certified OpenID Connect relying-party library). The browser part (login and consent
// pages) is walked with fetch, carrying cookies and the CSRF token like a browser would.
//
// Usage: node openid-client-flow.mjs ISSUER CLIENT_ID CLIENT_SECRET REDIRECT_URI USERNAME PASSWORD
// Prints one JSON line with what it checked; exits non-zero on any failure.
import * as client from 'openid-client';

const [issuer, clientId, clientSecret, redirectUri, username, password] = process.argv.slice(2);
if (!password) {
  console.error('usage: node openid-client-flow.mjs ISSUER CLIENT_ID CLIENT_SECRET REDIRECT_URI USERNAME PASSWORD');
  process.exit(2);
}

const http = new URL(issuer).protocol === 'http:';
const config = await client.discovery(new URL(issuer), clientId, undefined,
  client.ClientSecretBasic(clientSecret), http ? { execute: [client.allowInsecureRequests] } : undefined);

const codeVerifier = client.randomPKCECodeVerifier();
const codeChallenge = await client.calculatePKCECodeChallenge(codeVerifier);
const state = client.randomState();
const nonce = client.randomNonce();
const authorizationUrl = client.buildAuthorizationUrl(config, {
  redirect_uri: redirectUri,
  scope: 'openid profile email offline_access',
  code_challenge: codeChallenge,
  code_challenge_method: 'S256',
  state,
  nonce,
});

// A tiny browser: a cookie jar and manual redirects.
const jar = new Map();
function remember(res) {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
  }
}
function cookieHeader() {
  return [...jar].filter(([, v]) => v !== '').map(([k, v]) => `${k}=${v}`).join('; ');
}
async function go(url, init = {}) {
  const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers || {}), cookie: cookieHeader() } });
  remember(res);
  return res;
}
const unescape = (s) => s.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<')
  .replaceAll('&gt;', '>').replaceAll('&#96;', '`').replaceAll('&amp;', '&');
function form(html) {
  const action = unescape(/<form method="post"[^>]* action="([^"]*)"/.exec(html)[1]);
  const fields = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[unescape(m[1])] = unescape(m[2]);
  }
  return { action, fields };
}

let url = authorizationUrl.href;
let res = await go(url);
let callback;
for (let step = 0; step < 12 && !callback; step++) {
  if (res.status >= 300 && res.status < 400) {
    const next = new URL(res.headers.get('location'), url).href;
    if (next.startsWith(redirectUri)) {
      callback = next;
      break;
    }
    url = next;
    res = await go(url);
    continue;
  }
  if (res.status !== 200) {
    throw new Error(`unexpected ${res.status} at ${url}: ${await res.text()}`);
  }
  const html = await res.text();
  const { action, fields } = form(html);
  if (html.includes('name="password"')) {
    Object.assign(fields, { username, password });
  } else {
    fields.decision = 'allow';
  }
  url = action;
  res = await go(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}
if (!callback) {
  throw new Error('never came back to the redirect_uri');
}

const tokens = await client.authorizationCodeGrant(config, new URL(callback), {
  pkceCodeVerifier: codeVerifier,
  expectedState: state,
  expectedNonce: nonce,
  idTokenExpected: true,
});
const claims = tokens.claims();
const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
if (userinfo.preferred_username !== username) {
  throw new Error(`userinfo names ${userinfo.preferred_username}, not ${username}`);
}
const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
if (!refreshed.access_token || refreshed.refresh_token === tokens.refresh_token) {
  throw new Error('refresh did not rotate the refresh token');
}
console.log(JSON.stringify({
  ok: true,
  sub: claims.sub,
  sid: claims.sid,
  amr: claims.amr,
  preferred_username: userinfo.preferred_username,
  refreshed: true,
}));
