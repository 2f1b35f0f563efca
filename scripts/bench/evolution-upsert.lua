-- wrk script for scripts/bench-listener.sh: each request posts an Evolution API 2.3
-- `messages.upsert` body (the shape of `crm webhook trigger evolution.messages.upsert`) with a
-- message id never posted before, from one of CONTACTS contacts, so that every 200 is a new message.
-- Arguments (after `--`): PATH INSTANCE RUN_ID [CONTACTS]. Without arguments (a GET target such
-- as /livez) it sends plain GETs.
local threads = {}

function setup(thread)
    table.insert(threads, thread)
    thread:set("tid", #threads)
end

local counter = 0

function init(args)
    path = args[1]
    instance = args[2]
    run = args[3] or "0"
    contacts = tonumber(args[4] or "10000")
    started = os.time()
end

local template = '{"event":"messages.upsert","instance":"%s","data":{"key":{"remoteJid":"%s@s.whatsapp.net",'
    .. '"fromMe":false,"id":"%s"},"pushName":"Maria Bench","status":"DELIVERY_ACK",'
    .. '"message":{"conversation":"Olá! Quero saber o horário de hoje."},"messageType":"conversation",'
    .. '"messageTimestamp":%d,"instanceId":"6a3b1f0e-2d4c-4b8e-9f1a-0c2d3e4f5a6b","source":"android"},'
    .. '"destination":"http://localhost/webhooks/whatsapp/evolution","date_time":"2026-11-25T12:00:00.000Z",'
    .. '"server_url":"http://localhost:8080","apikey":null}'

local headers = { ["Content-Type"] = "application/json" }

function request()
    if path == nil then
        return wrk.format("GET")
    end
    counter = counter + 1
    local id = string.format("3EB0%s%02d%09d", run, tid, counter)
    local phone = string.format("55119%08d", (counter * 7919 + tid * 104729) % contacts)
    local body = string.format(template, instance, phone, id, started + counter % 3600)
    return wrk.format("POST", path, headers, body)
end

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        "RESULT requests=%d duration_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
        summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
