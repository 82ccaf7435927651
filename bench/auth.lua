-- wrk script used by bench/run.sh: sends every request with the bearer token
-- of an already signed-in (password + TOTP) session, taken from the
-- environment variable PORTICO_TOKEN.  Without a token, requests go out
-- unauthenticated (useful for nginx, which ignores the header anyway).
local token = os.getenv("PORTICO_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
