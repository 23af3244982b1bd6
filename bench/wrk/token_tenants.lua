-- client_credentials (client_secret_basic) spread at random over many tenants.
-- Env: GH_CREDENTIALS: a file of "<tenant> <base64(client_id:secret)>" lines (bench/tenants.sh);
-- GH_TENANTS (optional): use only its first N lines (1: the single-tenant reference, same script).
local body = "grant_type=client_credentials&scope=a"
local paths, auths, n = {}, {}, 0

function init(args)
  local limit = tonumber(os.getenv("GH_TENANTS") or "0")
  for line in io.lines(os.getenv("GH_CREDENTIALS")) do
    local tenant, basic = line:match("^(%S+) (%S+)$")
    if tenant then
      n = n + 1
      paths[n] = "/t/" .. tenant .. "/oauth2/token"
      auths[n] = "Basic " .. basic
      if limit > 0 and n >= limit then break end
    end
  end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
  local i = math.random(n)
  return wrk.format("POST", paths[i], {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Authorization"] = auths[i],
  }, body)
end

dofile(os.getenv("GH_WRK_DIR") .. "/summary.lua")
