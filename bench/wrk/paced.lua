-- A steady request rate over many keep-alive connections: each connection waits GH_DELAY_MS
-- between its requests (wrk's delay hook), so C connections send about C / (GH_DELAY_MS / 1000)
-- requests/s whatever the answer time. Env: GH_PACED (the scenario script to run paced, e.g.
-- token.lua), GH_DELAY_MS, and that script's own variables.
local pause = tonumber(os.getenv("GH_DELAY_MS") or "1000")
dofile(os.getenv("GH_WRK_DIR") .. "/" .. os.getenv("GH_PACED"))
-- Spread between half and one and a half times the pause, so that the connections, opened all
-- at once, drift apart instead of sending in waves.
function delay()
  return math.random(math.floor(pause / 2), math.floor(pause * 3 / 2))
end
