-- Plain GET of the URL given on the wrk command line (JWKS, discovery, health).
wrk.method = "GET"
dofile(os.getenv("GH_WRK_DIR") .. "/summary.lua")
