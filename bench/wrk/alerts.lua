-- wrk script for bench/wrk/intake.sh: POST /api/v2/alerts, one alert per body (as Prometheus sends one
-- changed alert), over 1,000 distinct alerts picked at random, so after the first 1,000 every request is a
-- repeat of a firing alert. The intake token comes from the environment (VIGIL_TOKEN).
-- WRK_BODY=empty sends "[]" instead: the same route, authentication and JSON reading with nothing to store.
local services = {"db", "cache", "api", "web", "worker"}
local bodies = {}
for k = 0, 999 do
  local service = services[(k % 5) + 1]
  local severity = (k % 4 == 0) and "critical" or "warning"
  bodies[k] = string.format(
    '[{"labels":{"alertname":"BenchAlert%d","service":"%s","severity":"%s","instance":"host-%d:9100"},"annotations":{"summary":"Bench alert %d on host-%d (%s)"}}]',
    k % 20, service, severity, k, k % 20, k, service)
end
local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("VIGIL_TOKEN")}
local empty = os.getenv("WRK_BODY") == "empty"

request = function()
  return wrk.format("POST", "/api/v2/alerts", headers, empty and "[]" or bodies[math.random(0, 999)])
end
