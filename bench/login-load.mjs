// Load driver for bench/login.sh: password logins through the hosted pages plus the code
// exchange, with N concurrent "browsers", then the same flow riding an SSO session (no password
// check), so that the difference tells how much of a login is Argon2id.
//
// node bench/login-load.mjs BASE TENANT CLIENT_ID CLIENT_SECRET REDIRECT USERNAME PASSWORD SECONDS CONCURRENCY
import crypto from 'node:crypto';

const [base, tenant, clientId, clientSecret, redirect, username, password, seconds, concurrency] =
  process.argv.slice(2);
const issuer = `${base}/t/${tenant}`;
const basic = 'Basic ' + Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');

const b64url = (buf) => buf.toString('base64url');
const unescape = (s) => s.replaceAll('&quot;', '"').replaceAll('&#34;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<')
  .replaceAll('&gt;', '>').replaceAll('&#96;', '`').replaceAll('&amp;', '&');

class Browser {
  jar = new Map();
  async go(url, init = {}) {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers || {}), cookie } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      this.jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
    }
    return res;
  }
}

/** One sign-in: authorize, pages as needed, code exchange. Returns true on success. */
async function signIn(browser, prompt) {
  const verifier = b64url(crypto.randomBytes(32));
  const challenge = b64url(crypto.createHash('sha256').update(verifier).digest());
  const state = b64url(crypto.randomBytes(12));
  const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirect,
    scope: 'openid', state, nonce: state, code_challenge: challenge, code_challenge_method: 'S256' });
  if (prompt) q.set('prompt', prompt);
  let url = `${issuer}/oauth2/authorize?${q}`;
  let res = await browser.go(url);
  for (let step = 0; step < 10; step++) {
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location'), url).href;
      if (next.startsWith(redirect)) {
        const code = new URL(next).searchParams.get('code');
        if (!code) return false;
        const t = await fetch(`${issuer}/oauth2/token`, {
          method: 'POST',
          headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirect,
            code_verifier: verifier }).toString(),
        });
        await t.arrayBuffer();
        return t.status === 200;
      }
      await res.arrayBuffer();
      url = next;
      res = await browser.go(url);
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) return false;
    const action = unescape(/<form method="post"[^>]* action="([^"]*)"/.exec(html)[1]);
    const fields = {};
    for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
      fields[unescape(m[1])] = unescape(m[2]);
    }
    if (html.includes('name="password"')) Object.assign(fields, { username, password });
    else fields.decision = 'allow';
    url = action;
    res = await browser.go(action, { method: 'POST', body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }
  return false;
}

async function phase(name, makeFlow) {
  const end = Date.now() + Number(seconds) * 1000;
  const latencies = [];
  let failures = 0;
  const worker = async () => {
    const flow = await makeFlow();
    while (Date.now() < end) {
      const t0 = performance.now();
      const ok = await flow();
      if (ok) latencies.push(performance.now() - t0); else failures++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Number(concurrency) }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1) : 'n/a';
  const rate = latencies.length / elapsed;
  console.log(`${name} flows_per_s=${rate.toFixed(1)} p50_ms=${pct(0.5)} p95_ms=${pct(0.95)} p99_ms=${pct(0.99)} ok=${latencies.length} failed=${failures}`);
  return rate;
}

// Consent once, outside the measurement.
if (!(await signIn(new Browser()))) {
  console.error('bench: the first sign-in failed');
  process.exit(1);
}
// Warm-up.
await phase('warmup', async () => () => signIn(new Browser()));
const full = await phase('password_login_and_code_exchange', async () => () => signIn(new Browser()));
const sso = await phase('sso_session_and_code_exchange', async () => {
  const b = new Browser();
  await signIn(b);
  return () => signIn(b, 'none');
});
const share = Math.max(0, 1 - full / sso);
console.log(`argon2id_share_of_login_time=${(share * 100).toFixed(0)}% (= 1 - password_rate / sso_rate: the SSO flow is the same minus the password check)`);
