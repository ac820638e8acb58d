-- The seed's stress test: its README's two-flight body in the seed format.
--   wrk -t10 -c50 -d45s -s scripts/wrk/seed.lua http://127.0.0.1:8080/predict
package.path = debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "?.lua;" .. package.path
require("status-counts")
local bodies = require("bodies")

bodies.post(bodies.seed())
