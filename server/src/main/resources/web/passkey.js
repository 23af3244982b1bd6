// Passkeys on Gatehouse's hosted pages (WebAuthn Level 3). Forms marked data-passkey="create"
// (register) or data-passkey="get" (sign in, second factor) stay hidden unless the browser has
// WebAuthn; the script runs the ceremony, puts the credential's JSON in the form's hidden
// "credential" field and submits the form. Passwords and codes never need this file.
(function () {
  'use strict';
  if (!window.PublicKeyCredential || !navigator.credentials) {
    return;
  }

  function toBytes(b64url) {
    var s = b64url.replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) { s += '='; }
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out.buffer;
  }

  function toB64url(buf) {
    var bytes = new Uint8Array(buf);
    var bin = '';
    for (var i = 0; i < bytes.length; i++) { bin += String.fromCharCode(bytes[i]); }
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function ids(list) {
    return (list || '').split(' ').filter(Boolean).map(function (id) {
      return { type: 'public-key', id: toBytes(id) };
    });
  }

  // WebAuthn L3 §5.1.8 RegistrationResponseJSON / AuthenticationResponseJSON.
  function toJson(cred) {
    if (typeof cred.toJSON === 'function') {
      return JSON.stringify(cred.toJSON());
    }
    var r = cred.response;
    var response = { clientDataJSON: toB64url(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toB64url(r.attestationObject);
      response.transports = typeof r.getTransports === 'function' ? r.getTransports() : [];
    } else {
      response.authenticatorData = toB64url(r.authenticatorData);
      response.signature = toB64url(r.signature);
      if (r.userHandle) { response.userHandle = toB64url(r.userHandle); }
    }
    return JSON.stringify({
      id: cred.id, rawId: toB64url(cred.rawId), type: cred.type, response: response,
      clientExtensionResults: cred.getClientExtensionResults(),
      authenticatorAttachment: cred.authenticatorAttachment || undefined
    });
  }

  function fail(form, err) {
    var box = form.querySelector('[data-passkey-error]');
    if (!box || (err && err.name === 'AbortError')) { return; }
    box.textContent = err && err.name === 'NotAllowedError'
      ? 'The passkey request was cancelled or timed out.'
      : 'Your passkey could not be used (' + (err && err.name ? err.name : 'error') + ').';
    box.hidden = false;
  }

  function submit(form, cred) {
    form.querySelector('input[name=credential]').value = toJson(cred);
    form.submit();
  }

  function setUpCreate(form) {
    var d = form.dataset;
    form.hidden = false;
    form.querySelector('#passkey-register').addEventListener('click', function () {
      navigator.credentials.create({ publicKey: {
        challenge: toBytes(d.challenge),
        rp: { id: d.rpId, name: d.rpName },
        user: { id: toBytes(d.userId), name: d.userName, displayName: d.userDisplayName },
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -8 },
          { type: 'public-key', alg: -257 }],
        authenticatorSelection: { residentKey: 'required', requireResidentKey: true,
          userVerification: 'required' },
        excludeCredentials: ids(d.exclude),
        attestation: 'none',
        timeout: 120000
      } }).then(function (cred) { submit(form, cred); }, function (err) { fail(form, err); });
    });
  }

  function setUpGet(form) {
    var d = form.dataset;
    var pending = null;
    function options(signal) {
      var o = { publicKey: { challenge: toBytes(d.challenge), rpId: d.rpId,
        userVerification: 'required', allowCredentials: ids(d.allow), timeout: 120000 } };
      if (signal) { o.signal = signal; }
      return o;
    }
    form.hidden = false;
    form.querySelector('#passkey-button').addEventListener('click', function () {
      if (pending) { pending.abort(); pending = null; }
      navigator.credentials.get(options(null))
        .then(function (cred) { submit(form, cred); }, function (err) { fail(form, err); });
    });
    // Conditional mediation: passkeys offered in the username field's autofill.
    if (d.conditional === 'true' && PublicKeyCredential.isConditionalMediationAvailable) {
      PublicKeyCredential.isConditionalMediationAvailable().then(function (ok) {
        if (!ok) { return; }
        pending = new AbortController();
        var o = options(pending.signal);
        o.mediation = 'conditional';
        navigator.credentials.get(o)
          .then(function (cred) { submit(form, cred); }, function (err) { fail(form, err); });
      });
    }
  }

  document.querySelectorAll('form[data-passkey=create]').forEach(setUpCreate);
  document.querySelectorAll('form[data-passkey=get]').forEach(setUpGet);
})();
