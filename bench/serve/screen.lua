-- wrk script: POST one ~1 KB listing to /v1/screen on a keep-alive connection.
--   wrk -t1 -c16 -d20s --latency -s bench/serve/screen.lua http://127.0.0.1:PORT
-- LISTING (environment) names a file holding the listing; the default is listing.json beside
-- this script.
local path = os.getenv("LISTING") or "bench/serve/listing.json"
local f = assert(io.open(path, "rb"))
local body = f:read("*a"):gsub("%s+$", "")
f:close()

wrk.method = "POST"
wrk.path = "/v1/screen"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"

local non2xx = 0
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

-- RATE (environment, requests/s over all connections) paces the requests: each connection waits
-- CONNECTIONS/RATE seconds between its requests (wrk's delay()), for latency at a fixed load
-- below the maximum. CONNECTIONS must then be the -c value.
local rate = tonumber(os.getenv("RATE") or "")
local connections = tonumber(os.getenv("CONNECTIONS") or "")
if rate and connections then
  function delay()
    return connections * 1000 / rate
  end
end
