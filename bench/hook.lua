-- bench/hook.lua - wrk script for bench/queue.sh's reference run: POSTs a JSON body of
-- HOOK_BYTES bytes to the webhook receiver, with headers shaped like a Standard Webhooks
-- delivery (webhook-id, webhook-timestamp, webhook-signature; dummy values of the same length).
local bytes = tonumber(os.getenv("HOOK_BYTES") or "400")
local filler = string.rep("x", math.max(bytes - 12, 0))
wrk.method = "POST"
wrk.body = '{"pad":"' .. filler .. '"}'
wrk.body = string.sub(wrk.body .. string.rep(" ", bytes), 1, bytes)
wrk.headers["Content-Type"] = "application/json"
wrk.headers["webhook-id"] = "ref_" .. string.rep("0", 22)
wrk.headers["webhook-timestamp"] = "1800000000"
wrk.headers["webhook-signature"] = "v1," .. string.rep("A", 43) .. "="
