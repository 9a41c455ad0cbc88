-- wrk script for the valid-key rows: one static request (wrk builds it once), JSON report at the end.
-- Usage: wrk ... -s wrk-static.lua <url> -- <api-key>

function init(args)
  wrk.method = "POST"
  wrk.body = '{"model":"claude-bench","max_tokens":16,"messages":[{"role":"user","content":"Hello"}]}'
  wrk.headers["content-type"] = "application/json"
  wrk.headers["anthropic-version"] = "2023-06-01"
  wrk.headers["x-api-key"] = args[1]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d,' ..
    '"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeoutErrors":%d,"non2xx":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status))
end
