-- Request bodies for the scripts in this folder, and the one way they are sent.

local bodies = {}

-- This file's folder, so the scripts run from any working directory.
local here = debug.getinfo(1, "S").source:match("^@(.-)[^/]*$")

-- Makes every request a JSON POST of `body` to the path of the URL given to wrk (…/predict).
function bodies.post(body)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = body
end

-- A request() that sends formatted bodies in turn, from the first again after the last, and the
-- function that gives it its bodies. wrk decides when the script loads whether request() is the
-- script's own (else it sends one fixed request), while the bodies may depend on init()'s
-- arguments: assign request at the top level and fill it from init(). Each body is formatted
-- once, as bodies.post sends it: formatting one per request would slow wrk down.
function bodies.cycle()
  local requests, sent = {}, 0
  local function fill(list)
    for i, body in ipairs(list) do
      bodies.post(body)
      requests[i] = wrk.format()
    end
  end
  local function next_request()
    sent = sent % #requests + 1
    return requests[sent]
  end
  return fill, next_request
end

-- The seed README's two-flight body in the seed format, as its curl example and its stress test
-- sent it. schemas/examples/seed-request.json is that body, and the contract tests send it too.
function bodies.seed()
  local file = assert(io.open(here .. "../../schemas/examples/seed-request.json", "rb"))
  local body = file:read("*a")
  file:close()
  return body
end

-- Destinations with the flight type they are served with from SCL. Eleven routes, twelve months
-- and nine airlines: coprime cycles, so the flights of a batch do not repeat in step.
local ROUTES = {
  { "Antofagasta", "N" }, { "Calama", "N" }, { "Puerto Montt", "N" }, { "Concepcion", "N" },
  { "Iquique", "N" }, { "Punta Arenas", "N" }, { "Lima", "I" }, { "Buenos Aires", "I" },
  { "Sao Paulo", "I" }, { "Miami", "I" }, { "Madrid", "I" },
}
local AIRLINES = {
  "Grupo LATAM", "Sky Airline", "JetSmart SPA", "Latin American Wings", "Aerolineas Argentinas",
  "Copa Air", "Avianca", "American Airlines", "Iberia",
}

-- `count` flights, each written by `format` from its airline, flight type, month, day, hour, minute
-- and destination, varied so that every part of the encoding works; the same count always gives
-- the same flights.
local function varied(count, format)
  local flights = {}
  for i = 1, count do
    local route = ROUTES[(i - 1) % #ROUTES + 1]
    flights[i] = string.format(format, AIRLINES[(i - 1) % #AIRLINES + 1], route[2],
      (i - 1) % 12 + 1, i * 7 % 28 + 1, i * 5 % 24, i * 13 % 60, route[1])
  end
  return table.concat(flights, ",")
end

-- `count` flights in the flights format; with `explain`, the request asks for each prediction's
-- explanation.
function bodies.flights(count, explain)
  local format =
    '{"OPERA":"%s","TIPOVUELO":"%s","Fecha-I":"2017-%02d-%02d %02d:%02d:00","SIGLADES":"%s"}'
  local tail = explain and '],"explain":true}' or "]}"
  return '{"flights":[' .. varied(count, format) .. tail
end

-- The moment the nowcast bodies are seen from: 08:30 on 14 July 2017.
local AS_OF = os.time({ year = 2017, month = 7, day = 14, hour = 8, min = 30 })
local function timeText(t) return os.date("%Y-%m-%d %H:%M:%S", t) end

-- `count` departures, one every five minutes up to AS_OF, delays from 5 minutes early to 34 late.
local function departures(count)
  local list = {}
  for i = 1, count do
    local operated = AS_OF - (count - i) * 300
    local delay = (i * 7 % 40 - 5) * 60
    list[i] = string.format('{"OPERA":"%s","Fecha-I":"%s","Fecha-O":"%s"}',
      AIRLINES[(i - 1) % #AIRLINES + 1], timeText(operated - delay), timeText(operated))
  end
  return table.concat(list, ",")
end

-- `count` flights in the flights format due 30 minutes to 5.5 hours after AS_OF, within the
-- nowcast model's horizons; with `board`, the request carries an airport of 300 departures.
function bodies.sameDay(count, board)
  local flights = {}
  for i = 1, count do
    local route = ROUTES[(i - 1) % #ROUTES + 1]
    flights[i] = string.format('{"OPERA":"%s","TIPOVUELO":"%s","Fecha-I":"%s","SIGLADES":"%s"}',
      AIRLINES[(i - 1) % #AIRLINES + 1], route[2], timeText(AS_OF + (30 + i * 17 % 300) * 60),
      route[1])
  end
  local airport = board
    and ',"airport":{"asOf":"' .. timeText(AS_OF) .. '","departures":[' .. departures(300) .. "]}"
    or ""
  return '{"flights":[' .. table.concat(flights, ",") .. "]" .. airport .. "}"
end

-- A BigQuery remote function call batch around `calls`, JSON calls joined by commas.
local function callBatch(calls)
  return '{"requestId":"bench","caller":"//bigquery.googleapis.com/projects/bench/jobs/bench",'
    .. '"sessionUser":"bench@example.com","calls":[' .. calls .. "]}"
end

-- The same `count` flights as a BigQuery remote function call batch (POST /bigquery), each call
-- [OPERA, TIPOVUELO, fecha_i as a DATETIME, SIGLADES].
function bodies.calls(count)
  return callBatch(varied(count, '["%s","%s","2017-%02d-%02dT%02d:%02d:00","%s"]'))
end

-- Call batches of `size` calls from the file at `path`, one JSON call a line, in file order.
-- Calls after the last whole batch are left out, so that every batch holds `size` rows.
function bodies.callBatches(path, size)
  local calls = {}
  for line in io.lines(path) do
    if line ~= "" then calls[#calls + 1] = line end
  end
  assert(#calls >= size, path .. " holds " .. #calls .. " calls, fewer than a batch of " .. size)
  local batches = {}
  for first = 1, #calls - size + 1, size do
    batches[#batches + 1] = callBatch(table.concat(calls, ",", first, first + size - 1))
  end
  return batches
end

-- Bodies the function must refuse with 400: one per kind of mistake a client makes.
bodies.invalid = {
  -- not JSON
  '{"vuelos": [',
  -- neither format
  '{"pasajeros": []}',
  -- an empty batch
  '{"flights": []}',
  -- a required field missing
  '{"flights": [{"OPERA": "Grupo LATAM", "TIPOVUELO": "N", "SIGLADES": "Lima"}]}',
  -- a value outside its enum, an impossible date
  '{"flights": [{"OPERA": "LATAM", "TIPOVUELO": "N", "Fecha-I": "2017-02-30 08:00:00", "SIGLADES": "Lima"}]}',
  -- a seed flight with a wrong type and its other keys missing
  '{"vuelos": [{"MES_1": "yes"}]}',
}

return bodies
