-- StartStreamSession, over and over: POST /streamgroups/{Identifier}/streamsessions (201).
-- Needs APP_ID and GROUP_ID (from setup.sh). Every request carries a fresh SignalRequest (an
-- SDP offer with a unique origin line) and a 1 h ConnectionTimeoutSeconds, so no session
-- times out during a run.
--
-- CLIENT_TOKEN=1 adds a unique ClientToken to every request, as the AWS SDKs do (they fill in
-- the idempotency token themselves): the engine then fingerprints the input and remembers the
-- token for ClientTokenLifetime (24 h).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local app = env("APP_ID")
local path = "/streamgroups/" .. env("GROUP_ID") .. "/streamsessions"
local with_token = os.getenv("CLIENT_TOKEN") == "1"
local headers = { ["Authorization"] = AUTH, ["Content-Type"] = "application/json" }
local counter = 0
-- Tokens differ between threads (tid) and between runs against the same server (run).
local run = os.time()
tid = 0  -- set in each thread's Lua state by setup()
local threads = 0

function setup(thread)
    threads = threads + 1
    thread:set("tid", threads)
end

function request()
    counter = counter + 1
    local sdp = string.format(
        "v=0\\\\r\\\\no=- %d%02d%010d 1 IN IP4 127.0.0.1\\\\r\\\\ns=-\\\\r\\\\nt=0 0\\\\r\\\\n"
            .. "a=group:BUNDLE 0 1 2\\\\r\\\\nm=video 9 UDP/TLS/RTP/SAVPF 96\\\\r\\\\n",
        run, tid, counter)
    local token = ""
    if with_token then
        token = string.format(',"ClientToken":"load-%d-%02d-%020d"', run, tid, counter)
    end
    local body = '{"Protocol":"WebRTC","ApplicationIdentifier":"' .. app
        .. '","ConnectionTimeoutSeconds":3600,"SignalRequest":"{\\"type\\":\\"offer\\",\\"sdp\\":\\"'
        .. sdp .. '\\"}"' .. token .. '}'
    return wrk.format("POST", path, headers, body)
end
