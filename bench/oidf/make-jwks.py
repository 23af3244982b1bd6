#!/usr/bin/env python3
"""Make a P-256 key pair for a private_key_jwt client (RFC 7523 section 2.2) as two JWK Sets.

usage: make-jwks.py PRIVATE_OUT.json PUBLIC_OUT.json
PUBLIC_OUT goes to Gatehouse (`client create --jwks-file`); PRIVATE_OUT goes into the suite's
plan configuration as the client's `jwks` (make-config.py reads it), so the suite can sign its
client assertions. Needs only openssl. Does nothing when both files exist.
"""
import base64, json, os, re, subprocess, sys

priv_out, pub_out = sys.argv[1], sys.argv[2]
if os.path.exists(priv_out) and os.path.exists(pub_out):
    sys.exit(0)


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b'=').decode()


def hex_block(text, label):
    """the colon-separated hex bytes after `label:` in `openssl pkey -text` output."""
    m = re.search(label + r':\s*\n((?:\s+[0-9a-f:]+\n)+)', text)
    return bytes.fromhex(re.sub(r'[\s:]', '', m.group(1)))


pem = subprocess.run(['openssl', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
                     check=True, capture_output=True).stdout
text = subprocess.run(['openssl', 'pkey', '-text', '-noout'], input=pem, check=True,
                      capture_output=True).stdout.decode()
d = hex_block(text, 'priv').rjust(32, b'\0')[-32:]
point = hex_block(text, 'pub')          # 04 || x || y (uncompressed)
assert point[0] == 4 and len(point) == 65, 'unexpected public key encoding'
kid = b64u(os.urandom(9))
public = {'kty': 'EC', 'crv': 'P-256', 'x': b64u(point[1:33]), 'y': b64u(point[33:]),
          'use': 'sig', 'alg': 'ES256', 'kid': kid}
for path, key in ((priv_out, dict(public, d=b64u(d))), (pub_out, public)):
    with open(path, 'w') as f:
        json.dump({'keys': [key]}, f, indent=2)
    os.chmod(path, 0o600)
print('wrote', priv_out, pub_out)
