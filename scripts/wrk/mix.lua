-- Mixed traffic: nine requests in ten carry a valid body (seed and flights format in turn), the
-- tenth an invalid one (each kind in bodies.invalid in turn). Valid bodies must be answered 200,
-- invalid ones 400, and nothing 5xx.
--   wrk -t10 -c50 -d45s -s scripts/wrk/mix.lua http://127.0.0.1:8080/predict
package.path = debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "?.lua;" .. package.path
require("status-counts")
local bodies = require("bodies")

local fill
fill, request = bodies.cycle()

function init()
  local valid = { bodies.seed(), bodies.flights(1) }
  local cycle = {}
  for i = 1, 10 * #bodies.invalid do
    cycle[i] = i % 10 == 0 and bodies.invalid[i / 10] or valid[i % #valid + 1]
  end
  fill(cycle)
end
