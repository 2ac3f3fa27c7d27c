-- wrk script of the registration-submit benchmark (bench/registration_submit.py):
--   wrk ... -s bench/registration.lua URL -- USERS_FILE
-- USERS_FILE has one line per signed-in delegate, "Cookie header<TAB>form body"
-- (bench/seed_registration.py). Each request POSTs the next delegate's form with their
-- cookies: wrk thread k of n takes lines k, k + n, k + 2n..., so that no two requests are
-- for the same person. A thread that runs out of lines starts again from its first and
-- counts it ("reused"): those requests are repeats, which the site answers without
-- registering anyone, and the run is then reported as not valid.
-- At the end, prints one line of JSON (latencies in microseconds, as wrk measures them),
-- like bench/report.lua, with the responses counted by status.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function init(args)
  local path = args[1]
  local count = tonumber(args[2])
  requests_made, reused = 0, 0
  status_302, status_other_3xx, status_2xx, status_4xx, status_5xx = 0, 0, 0, 0, 0
  lines = {}
  local n = 0
  for line in io.lines(path) do
    if n % count == thread_number - 1 then
      local cookie, body = line:match("^([^\t]*)\t(.*)$")
      table.insert(lines, wrk.format("POST", wrk.path, {
        ["Cookie"] = cookie,
        ["Content-Type"] = "application/x-www-form-urlencoded",
      }, body))
    end
    n = n + 1
  end
  line_count = #lines
  next_line = 1
end

function request()
  if next_line > #lines then
    next_line = 1
  end
  if requests_made >= #lines then
    reused = reused + 1
  end
  local req = lines[next_line]
  next_line = next_line + 1
  requests_made = requests_made + 1
  return req
end

function response(status, headers, body)
  if status == 302 then
    status_302 = status_302 + 1
  elseif status >= 300 and status < 400 then
    status_other_3xx = status_other_3xx + 1
  elseif status >= 200 and status < 300 then
    status_2xx = status_2xx + 1
  elseif status >= 400 and status < 500 then
    status_4xx = status_4xx + 1
  else
    status_5xx = status_5xx + 1
  end
end

done = function(summary, latency, requests)
  local counts = { status_302 = 0, status_other_3xx = 0, status_2xx = 0, status_4xx = 0,
                   status_5xx = 0, requests_made = 0, reused = 0, line_count = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(counts) do
      counts[name] = counts[name] + thread:get(name)
    end
  end
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"mean":%.1f,"max":%d,"p50":%d,"p75":%d,"p90":%d,"p99":%d},' ..
    '"responses":{"302":%d,"other_3xx":%d,"2xx":%d,"4xx":%d,"5xx":%d},' ..
    '"requests_sent":%d,"reused_delegates":%d,"delegates":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(75),
    latency:percentile(90), latency:percentile(99),
    counts.status_302, counts.status_other_3xx, counts.status_2xx, counts.status_4xx,
    counts.status_5xx, counts.requests_made, counts.reused, counts.line_count))
end
