-- wrk script for the invalid-key flood: each request carries the next x-api-key from a file
-- (one key per line), each thread starting at its own offset. JSON report at the end.
-- Usage: wrk ... -s wrk-rotate.lua <url> -- <keys-file>

local next_thread_id = 0
function setup(thread)
  thread:set("thread_id", next_thread_id)
  next_thread_id = next_thread_id + 1
end

local keys = {}
local count = 0
local index = 0
local headers = {}
local body = '{"model":"claude-bench","max_tokens":16,"messages":[{"role":"user","content":"Hello"}]}'

function init(args)
  for line in io.lines(args[1]) do
    count = count + 1
    keys[count] = line
  end
  index = ((thread_id or 0) * 7919) % count
  headers["content-type"] = "application/json"
  headers["anthropic-version"] = "2023-06-01"
end

function request()
  index = index + 1
  if index > count then index = 1 end
  headers["x-api-key"] = keys[index]
  return wrk.format("POST", nil, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d,' ..
    '"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeoutErrors":%d,"non2xx":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status))
end
