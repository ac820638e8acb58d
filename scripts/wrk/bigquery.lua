-- A BigQuery remote function call batch per request, as BigQuery sends it to POST /bigquery:
-- 500 rows unless a size follows `--`, fecha_i encoded as BigQuery encodes a DATETIME.
--   wrk -t2 -c8 -d20s -s scripts/wrk/bigquery.lua http://127.0.0.1:8080/bigquery
--   wrk -t2 -c8 -d20s -s scripts/wrk/bigquery.lua http://127.0.0.1:8080/bigquery -- 2000
package.path = debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "?.lua;" .. package.path
require("status-counts")
local bodies = require("bodies")

function init(args)
  local size = args[1] and assert(tonumber(args[1]), "the batch size must be a number") or 500
  bodies.post(bodies.calls(size))
end
