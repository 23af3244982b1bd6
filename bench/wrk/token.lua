-- client_credentials grant with client_secret_basic (RFC 6749 §4.4).
-- Env: GH_BASIC (base64 of client_id:client_secret).
wrk.method = "POST"
wrk.body = "grant_type=client_credentials&scope=a"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("GH_BASIC")
dofile(os.getenv("GH_WRK_DIR") .. "/summary.lua")
