#!/usr/bin/env python3
"""Write the conformance-suite plan configuration for Gatehouse.

usage: make-config.py CLIENTS_DIR OUT.json [CLIENT_FILE CLIENT2_FILE]
CLIENTS_DIR holds the output of `gatehouse client create` for each client (client1.json, client2.json,
client-post.json, ...); "client"/"client2" default to client1.json/client2.json. A client file
NAME.json with a NAME.private-jwks.json beside it (make-jwks.py) is a private_key_jwt client: its
private JWK Set goes into the configuration as the client's `jwks` (the suite signs its client
assertions with it).
Environment: OIDF_OP (default https://localhost:9443), OIDF_TENANT (oidf), OIDF_ALIAS (gatehouse),
OIDF_USER / OIDF_PASSWORD (the test user).
"""
import json, os, sys

op = os.environ.get('OIDF_OP', 'https://localhost:9443')
tenant = os.environ.get('OIDF_TENANT', 'oidf')
alias = os.environ.get('OIDF_ALIAS', 'gatehouse')
user = os.environ.get('OIDF_USER', 'alice')
password = os.environ.get('OIDF_PASSWORD', 'conformance-Password-1')
issuer = f'{op}/t/{tenant}'
d = sys.argv[1]
# optional 3rd/4th arguments: the files to use as "client" and "client2" (default client1.json client2.json)
n1, n2 = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else ('client1.json', 'client2.json')


def client(name):
    c = json.load(open(os.path.join(d, name)))
    entry = {"client_id": c["client_id"]}
    if c.get("client_secret"):
        entry["client_secret"] = c["client_secret"]
    keys = os.path.join(d, name[:-len('.json')] + '.private-jwks.json')
    if os.path.exists(keys):
        entry["jwks"] = json.load(open(keys))
    return entry


c1, c2, cp = (client(n) for n in (n1, n2, 'client-post.json'))

# Gatehouse pages: GET {issuer}/login?ar=..  (fields username, password; submit button.primary)
# -> 303 {issuer}/oauth2/authorize/resume?ar=..  (consent: button name=decision value=allow)
# -> redirect (or form_post page) to the suite's callback.
login = {"task": "Login", "optional": True, "match": f"{issuer}/login*",
         "commands": [["text", "id", "username", user, "optional"],
                      ["text", "id", "password", password, "optional"],
                      ["click", "css", "button.primary"]]}
login_shot = dict(login, commands=[["wait", "xpath", "//*", 10, "Sign in", "update-image-placeholder-optional"]] + login["commands"])
consent = {"task": "Consent", "optional": True, "match": f"{issuer}/oauth2/authorize*",
           "commands": [["click", "css", "button[value=allow]", "optional"]]}
complete = {"task": "Verify Complete", "match": "*/test/*/callback*",
            "commands": [["wait", "id", "submission_complete", 10]]}
authorize_match = f"{issuer}/oauth2/authorize*"

def auth_flow(login_task=login):
    return {"match": authorize_match, "tasks": [login_task, consent, complete]}

def error_page(match, text):
    """the OP must show an error page (the suite wants a screenshot): capture it."""
    return {"comment": "expect an error page", "match": match,
            "tasks": [{"task": "Expect error page", "match": match,
                       "commands": [["wait", "xpath", "//*", 10, text, "update-image-placeholder"]]}]}

# logout: GET {issuer}/logout?... shows a confirmation (button name=confirm value=yes), then 303 to
# post_logout_redirect_uri, or the "You are signed out" page when there is none.
# With an id_token_hint naming the browser's session there is no question (RP-Initiated Logout §2):
# the confirmation step is optional. With front-channel clients the signed-out page frames their
# frontchannel_logout_uri and then continues to post_logout_redirect_uri by script.
logout_confirm = {"match": f"{issuer}/logout*",
                  "tasks": [{"task": "Confirm logout", "optional": True, "match": f"{issuer}/logout*",
                             "commands": [["click", "css", "button[value=yes]", "optional"]]},
                            {"task": "Verify Complete", "match": "*/test/*/post_logout_redirect*"}]}
logout_no_redirect = {"match": f"{issuer}/logout*",
                      "tasks": [{"task": "Confirm logout", "optional": True, "match": f"{issuer}/logout*",
                                 "commands": [["click", "css", "button[value=yes]", "optional"]]},
                                {"task": "Expect signed-out page", "match": f"{issuer}/logout*",
                                 "commands": [["wait", "xpath", "//*", 10, "signed out", "update-image-placeholder"]]}]}
logout_error = error_page(f"{issuer}/logout*", "Something went wrong")
logout_confirm_shot = {"match": f"{issuer}/logout*",
                       "tasks": [{"task": "Expect confirmation page", "match": f"{issuer}/logout*",
                                  "commands": [["wait", "xpath", "//*", 10, "Sign out", "update-image-placeholder"]]}]}

cfg = {
    "alias": alias,
    "description": "Gatehouse (local build) behind nginx TLS",
    "server": {"discoveryUrl": f"{issuer}/.well-known/openid-configuration"},
    "client": c1,
    "client2": c2,
    # static client for oidcc-server-client-secret-post (the suite copies it into "client")
    "client_secret_post": cp,
    "browser": [auth_flow(), logout_confirm],
    "override": {
        "oidcc-prompt-login": {"browser": [auth_flow(login_shot)]},
        "oidcc-max-age-1": {"browser": [auth_flow(login_shot)]},
        "oidcc-ensure-registered-redirect-uri": {"browser": [error_page(authorize_match, "Something went wrong")]},
        # Gatehouse does not support request objects and refuses the unregistered outer redirect_uri
        # with an error page (one of the two outcomes the module accepts): capture it
        "oidcc-ensure-request-object-with-redirect-uri": {"browser": [error_page(authorize_match, "Something went wrong")]},
        "oidcc-ensure-redirect-uri-in-authorization-request": {"browser": [error_page(authorize_match, "Something went wrong")]},
        "oidcc-redirect-uri-query-added": {"browser": [error_page(authorize_match, "Something went wrong")]},
        "oidcc-redirect-uri-query-mismatch": {"browser": [error_page(authorize_match, "Something went wrong")]},
        "oidcc-rp-initiated-logout-bad-post-logout-redirect-uri": {"browser": [auth_flow(), logout_error]},
        "oidcc-rp-initiated-logout-query-added-to-post-logout-redirect-uri": {"browser": [auth_flow(), logout_error]},
        "oidcc-rp-initiated-logout-modified-id-token-hint": {"browser": [auth_flow(), logout_error]},
        "oidcc-rp-initiated-logout-bad-id-token-hint": {"browser": [auth_flow(), logout_error]},
        # post_logout_redirect_uri without id_token_hint or client_id: Gatehouse cannot tell the
        # client and shows an error page (what the module asks for)
        "oidcc-rp-initiated-logout-no-id-token-hint": {"browser": [auth_flow(), logout_error]},
        "oidcc-rp-initiated-logout-no-params": {"browser": [auth_flow(), logout_no_redirect]},
        "oidcc-rp-initiated-logout-no-post-logout-redirect-uri": {"browser": [auth_flow(), logout_no_redirect]},
        "oidcc-rp-initiated-logout-only-state": {"browser": [auth_flow(), logout_no_redirect]},
    },
}
json.dump(cfg, open(sys.argv[2], 'w'), indent=2)
print('wrote', sys.argv[2])
