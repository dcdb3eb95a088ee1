-- wrk script: POSTs one AdmissionReview (the file named by $REVIEW) to /mutate, as the API server does.
local file = assert(io.open(os.getenv("REVIEW"), "r"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"

-- Fail loudly if the webhook answers anything but 200 (wrk only counts non-2xx otherwise).
response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
