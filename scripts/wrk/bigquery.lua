-- A BigQuery remote function call batch per request, as BigQuery sends it to POST /bigquery:
-- 500 rows unless a size follows `--`, fecha_i encoded as BigQuery encodes a DATETIME. The calls
-- are made-up flights unless a file follows the size: one JSON call a line
-- (["Grupo LATAM","N","2017-01-01T08:00:00","Lima"]), sent a batch at a time in file order and
-- then again from the top. `npm run bench` writes such a file from the data set's flights.
--   wrk -t2 -c8 -d20s -s scripts/wrk/bigquery.lua http://127.0.0.1:8080/bigquery
--   wrk -t2 -c8 -d20s -s scripts/wrk/bigquery.lua http://127.0.0.1:8080/bigquery -- 2000
--   wrk -t2 -c8 -d20s -s scripts/wrk/bigquery.lua http://127.0.0.1:8080/bigquery -- 500 calls.jsonl
package.path = debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "?.lua;" .. package.path
require("status-counts")
local bodies = require("bodies")

local fill
fill, request = bodies.cycle()

function init(args)
  local size = args[1] and assert(tonumber(args[1]), "the batch size must be a number") or 500
  fill(args[2] and bodies.callBatches(args[2], size) or { bodies.calls(size) })
end
