-- GetStreamSession of one existing session, over and over:
--   GET /streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}
-- Needs GROUP_ID and SESSION_ID (from setup.sh). The request is the same every time, so wrk
-- builds it once (no request() function): the client costs as little as it can.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

wrk.method = "GET"
wrk.path = "/streamgroups/" .. env("GROUP_ID") .. "/streamsessions/" .. env("SESSION_ID")
wrk.headers["Authorization"] = AUTH
