-- Counts responses by HTTP status and prints the counts when the run ends, so a run that
-- returned errors says so. Every script in this folder requires it; it defines wrk's setup(),
-- response() and done().
--
-- wrk runs each thread in its own Lua state, and done() runs in yet another: response() counts
-- into its thread's globals, setup() keeps every thread, and done() reads their globals through
-- thread:get() and adds them up.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- A global, not a local: thread:get() reads a thread's globals.
statuses = {}

function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function done()
  local totals, order = {}, {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      if not totals[status] then
        table.insert(order, status)
      end
      totals[status] = (totals[status] or 0) + count
    end
  end
  table.sort(order)
  print("Responses by status:")
  if #order == 0 then
    print("  none")
  end
  for _, status in ipairs(order) do
    print(string.format("  %d: %d", status, totals[status]))
  end
end
