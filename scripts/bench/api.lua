-- wrk script for scripts/bench-api.sh. Arguments (after `--`):
--   post TOKEN RUN_ID [CONTACTS]  POST /messages as the token's user: {"phone", "message",
--                                 "clientMessageId"}, a clientMessageId never sent before
--                                 (RUN_ID-thread-counter) to one of CONTACTS phones (default 5000)
--   get TOKEN                     GET the URL given to wrk (e.g. /messages?limit=50) with the token
--   (none)                        plain GETs of the URL (e.g. /livez)
-- Prints one RESULT line (requests, errors, latency percentiles in µs) for the script to parse.
local threads = {}

function setup(thread)
    table.insert(threads, thread)
    thread:set("tid", #threads)
end

local counter = 0
local fixed = nil

function init(args)
    mode = args[1]
    if mode == "post" or mode == "get" then
        headers = { ["Authorization"] = "Bearer " .. args[2], ["Content-Type"] = "application/json" }
    end
    if mode == "post" then
        run = args[3] or "0"
        contacts = tonumber(args[4] or "5000")
    elseif mode == "get" then
        fixed = wrk.format("GET", nil, headers)
    else
        fixed = wrk.format("GET")
    end
end

local template = '{"phone":"+%s","message":"Olá! Seu pedido %d saiu para entrega hoje.","clientMessageId":"%s"}'

function request()
    if fixed ~= nil then
        return fixed
    end
    counter = counter + 1
    local id = string.format("bench-%s-%02d-%09d", run, tid, counter)
    local phone = string.format("55119%08d", (counter * 7919 + tid * 104729) % contacts)
    return wrk.format("POST", "/messages", headers, string.format(template, phone, counter, id))
end

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        "RESULT requests=%d duration_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
        summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
