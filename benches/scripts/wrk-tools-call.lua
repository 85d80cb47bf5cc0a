-- wrk script: POSTs one read-only tools/call (stateless JSON) and checks every answer.
-- Usage: wrk -t2 -c64 -d15s --latency -s benches/scripts/wrk-tools-call.lua http://127.0.0.1:PORT/mcp
-- Env: TOOL (default echo), ARGS (JSON, default {"text":"bench"}), EXPECT (substring, default "text":"bench").
local tool = os.getenv("TOOL") or "echo"
local args = os.getenv("ARGS") or '{"text":"bench"}'
local expect = os.getenv("EXPECT") or '"text":"bench"'

wrk.method = "POST"
wrk.body = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"' .. tool .. '","arguments":' .. args .. '}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
if os.getenv("TOKEN") then wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN") end

local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(_) checked = 0; bad = 0 end

function response(status, _, body)
  checked = checked + 1
  if status ~= 200 or not string.find(body, expect, 1, true) or string.find(body, '"isError":true', 1, true) then
    bad = bad + 1
  end
end

function done(summary, latency, _)
  local c, b = 0, 0
  for _, t in ipairs(threads) do c = c + t:get("checked"); b = b + t:get("bad") end
  io.write(string.format("RESULT requests=%d checked=%d bad=%d socket_errors=%d rps=%.0f p50_ms=%.3f p99_ms=%.3f\n",
    summary.requests, c, b,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
