-- A batch of flights in the flights format per request: 1,000 unless a size follows `--`, each
-- prediction explained when `explain` follows the size; with `airport`, flights of one morning
-- sent with the airport's 300 latest departures (answered by the nowcast model), and with
-- `same-day`, the same flights without them.
--   wrk -t10 -c50 -d45s -s scripts/wrk/batch.lua http://127.0.0.1:8080/predict
--   wrk -t1 -c1 -d10s -s scripts/wrk/batch.lua http://127.0.0.1:8080/predict -- 10000
--   wrk -t1 -c1 -d10s -s scripts/wrk/batch.lua http://127.0.0.1:8080/predict -- 100 explain
--   wrk -t1 -c1 -d10s -s scripts/wrk/batch.lua http://127.0.0.1:8080/predict -- 100 airport
package.path = debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "?.lua;" .. package.path
require("status-counts")
local bodies = require("bodies")

function init(args)
  local size = args[1] and assert(tonumber(args[1]), "the batch size must be a number") or 1000
  local option = args[2]
  if option == "airport" or option == "same-day" then
    return bodies.post(bodies.sameDay(size, option == "airport"))
  end
  assert(option == nil or option == "explain", "after the size: explain, airport or same-day")
  bodies.post(bodies.flights(size, option == "explain"))
end
