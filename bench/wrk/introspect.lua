-- Token introspection (RFC 7662) of one token, authenticated with client_secret_basic.
-- Env: GH_BASIC (base64 of client_id:client_secret), GH_TOKEN (the token to introspect).
wrk.method = "POST"
wrk.body = "token=" .. os.getenv("GH_TOKEN")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("GH_BASIC")
dofile(os.getenv("GH_WRK_DIR") .. "/summary.lua")
