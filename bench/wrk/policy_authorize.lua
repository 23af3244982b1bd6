-- Policy decisions: POST /t/{tenant}/v1/authorize (or an AuthZEN evaluation) with a bearer token.
-- Env: GH_TOKEN (an access token with scope `authorize`), GH_BODIES (a file of request bodies,
-- one JSON document a line; requests cycle through them, each connection from its own offset).
local bodies = {}
for line in io.lines(os.getenv("GH_BODIES")) do
  bodies[#bodies + 1] = line
end
local headers = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = "Bearer " .. os.getenv("GH_TOKEN"),
}
local i = 0
local requests = {}

function init(args)
  for k, body in ipairs(bodies) do
    requests[k] = wrk.format("POST", wrk.path, headers, body)
  end
  i = math.random(#requests) - 1
end

function request()
  i = i % #requests + 1
  return requests[i]
end

-- One line the bench script parses, after the run.
function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d rps=%.0f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d non2xx=%d\n",
    summary.requests, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
