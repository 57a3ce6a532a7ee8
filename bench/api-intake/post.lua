-- wrk script: POST /check or /read with unique ids per request, so every request is a new task
-- (no 409 for a running sync, no "already exists"). Usage: wrk ... -s post.lua URL -- check|read
local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
  table.insert(threads, thread)
end

function init(args)
  endpoint = args[1] or "check"
  counter = 0
  math.randomseed(os.time() + tid * 7919)
  prefix = string.format("b%d-%d-%d", os.time() % 100000, tid, math.random(1, 999999))
  config = '{"host":"db.internal","port":5432,"database":"app","username":"sync","password":"not-a-real-secret","ssl":false,"schemas":["public"]}'
  catalog = '{"streams":[{"stream":{"name":"users","json_schema":{"type":"object","properties":{"id":{"type":"integer"},"email":{"type":"string"}}},"supported_sync_modes":["full_refresh","incremental"]},"sync_mode":"incremental","destination_sync_mode":"append","cursor_field":["id"]}]}'
  dest = '{"destinationType":"postgres","host":"dwh","port":5432,"database":"dwh","username":"loader","password":"not-a-real-secret","defaultSchema":"raw"}'
  headers = { ["Content-Type"] = "application/json" }
  read_body = '{"config":' .. config .. ',"catalog":' .. catalog .. ',"state":{},"destinationConfig":' .. dest .. '}'
  check_body = '{"config":' .. config .. '}'
end

function request()
  counter = counter + 1
  local id = prefix .. "-" .. counter
  if endpoint == "read" then
    return wrk.format("POST", "/read?package=airbyte/source-postgres&version=3.6.2&taskId=t" .. id .. "&syncId=s" .. id
      .. "&tableNamePrefix=bench_&startedBy=%7B%22trigger%22%3A%22bench%22%7D", headers, read_body)
  end
  return wrk.format("POST", "/check?package=airbyte/source-postgres&version=3.6.2&storageKey=k" .. id, headers, check_body)
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d non2xx=%d socket_errors=%d seconds=%.2f p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, non2xx, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
