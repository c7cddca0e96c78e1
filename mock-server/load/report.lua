-- Shared by get.lua and start.lua: the request signing header the mock needs, and a done()
-- that prints one machine-readable line for run.sh besides wrk's own report:
--   wrk-json {"requests":…,"duration_s":…,"rps":…,"p50_ms":…,…,"non2xx":…}

-- The mock checks that a SigV4 header is well formed but does not verify the signature; this
-- key acts for the default account 123456789012.
AUTH = "AWS4-HMAC-SHA256 Credential=AKIDLOADTEST/20260101/us-west-2/gameliftstreams/aws4_request, "
    .. "SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000"

function env(name)
    local value = os.getenv(name)
    if value == nil or value == "" then
        error(name .. " is not set: eval \"$(mock-server/load/setup.sh URL)\" first")
    end
    return value
end

function done(summary, latency, requests)
    local ms = function(us) return us / 1000 end
    local e = summary.errors
    local seconds = summary.duration / 1e6
    io.write(string.format(
        'wrk-json {"requests":%d,"duration_s":%.3f,"rps":%.1f,"bytes":%d,'
            .. '"mean_ms":%.3f,"stdev_ms":%.3f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,'
            .. '"p99_9_ms":%.3f,"max_ms":%.3f,"non2xx":%d,"connect_errors":%d,'
            .. '"read_errors":%d,"write_errors":%d,"timeouts":%d}\n',
        summary.requests, seconds, summary.requests / seconds, summary.bytes,
        ms(latency.mean), ms(latency.stdev), ms(latency:percentile(50)),
        ms(latency:percentile(90)), ms(latency:percentile(99)), ms(latency:percentile(99.9)),
        ms(latency.max), e.status, e.connect, e.read, e.write, e.timeout))
end
