-- A batch of flights in the flights format per request: 1,000 unless a size follows `--`, each
-- prediction explained when `explain` follows the size.
--   wrk -t10 -c50 -d45s -s scripts/wrk/batch.lua http://127.0.0.1:8080/predict
--   wrk -t1 -c1 -d10s -s scripts/wrk/batch.lua http://127.0.0.1:8080/predict -- 10000
--   wrk -t1 -c1 -d10s -s scripts/wrk/batch.lua http://127.0.0.1:8080/predict -- 100 explain
package.path = debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "?.lua;" .. package.path
require("status-counts")
local bodies = require("bodies")

function init(args)
  local size = args[1] and assert(tonumber(args[1]), "the batch size must be a number") or 1000
  assert(args[2] == nil or args[2] == "explain", "the only option after the size is explain")
  bodies.post(bodies.flights(size, args[2] == "explain"))
end
