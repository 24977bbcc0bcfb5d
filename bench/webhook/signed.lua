-- wrk script for bench/webhook: every request is a GitHub push delivery with its own X-GitHub-Delivery id, signed
-- here with HMAC-SHA256 (pure LuaJIT, bit library) as GitHub signs it. One connection per thread and no pipelining,
-- so a response always answers the thread's last request: the ids answered 200/202 are appended to
-- ACKED_DIR/acked-<thread>.txt, which the run script checks against the run store (lost = acknowledged but absent).
-- Args: secret file (read here, so the secret is on no command line), rate (requests/s over all connections),
-- connections, acked dir, commit, run tag.
local bit = require("bit")
local band, bor, bxor, bnot, rshift, lshift, ror, tobit =
  bit.band, bit.bor, bit.bxor, bit.bnot, bit.rshift, bit.lshift, bit.ror, bit.tobit

local K = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2 }
for i = 1, 64 do K[i] = tobit(K[i]) end

local function sha256(msg)
  local len = #msg
  local extra = (64 - (len + 9) % 64) % 64
  local bits = len * 8
  local tail = {}
  for i = 7, 0, -1 do tail[#tail + 1] = string.char(math.floor(bits / 2 ^ (8 * i)) % 256) end
  msg = msg .. "\128" .. string.rep("\0", extra) .. table.concat(tail)
  local H = { tobit(0x6a09e667), tobit(0xbb67ae85), tobit(0x3c6ef372), tobit(0xa54ff53a),
              tobit(0x510e527f), tobit(0x9b05688c), tobit(0x1f83d9ab), tobit(0x5be0cd19) }
  local w = {}
  for blk = 1, #msg, 64 do
    for j = 1, 16 do
      local a, b, c, d = string.byte(msg, blk + (j - 1) * 4, blk + (j - 1) * 4 + 3)
      w[j] = bor(lshift(a, 24), lshift(b, 16), lshift(c, 8), d)
    end
    for j = 17, 64 do
      local v = w[j - 15]
      local s0 = bxor(ror(v, 7), ror(v, 18), rshift(v, 3))
      v = w[j - 2]
      local s1 = bxor(ror(v, 17), ror(v, 19), rshift(v, 10))
      w[j] = tobit(w[j - 16] + s0 + w[j - 7] + s1)
    end
    local a, b, c, d, e, f, g, h = H[1], H[2], H[3], H[4], H[5], H[6], H[7], H[8]
    for j = 1, 64 do
      local S1 = bxor(ror(e, 6), ror(e, 11), ror(e, 25))
      local ch = bxor(band(e, f), band(bnot(e), g))
      local t1 = tobit(h + S1 + ch + K[j] + w[j])
      local S0 = bxor(ror(a, 2), ror(a, 13), ror(a, 22))
      local maj = bxor(band(a, b), band(a, c), band(b, c))
      local t2 = tobit(S0 + maj)
      h, g, f, e, d, c, b, a = g, f, e, tobit(d + t1), c, b, a, tobit(t1 + t2)
    end
    H[1], H[2], H[3], H[4] = tobit(H[1] + a), tobit(H[2] + b), tobit(H[3] + c), tobit(H[4] + d)
    H[5], H[6], H[7], H[8] = tobit(H[5] + e), tobit(H[6] + f), tobit(H[7] + g), tobit(H[8] + h)
  end
  local out = {}
  for i = 1, 8 do
    local v = H[i]
    out[i] = string.char(band(rshift(v, 24), 255), band(rshift(v, 16), 255), band(rshift(v, 8), 255), band(v, 255))
  end
  return table.concat(out)
end

local function hmac_hex(key, msg)
  if #key > 64 then key = sha256(key) end
  key = key .. string.rep("\0", 64 - #key)
  local ipad, opad = {}, {}
  for i = 1, 64 do
    local k = string.byte(key, i)
    ipad[i] = string.char(bxor(k, 0x36))
    opad[i] = string.char(bxor(k, 0x5c))
  end
  local mac = sha256(table.concat(opad) .. sha256(table.concat(ipad) .. msg))
  return (mac:gsub(".", function(ch) return string.format("%02x", string.byte(ch)) end))
end

-- main state: number the threads
local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

local secret, delay_ms, acked, commit, tag
local n, pending = 0, nil
function init(args)
  local f = assert(io.open(args[1], "r"), "cannot read the secret file " .. args[1])
  secret = f:read("*a"):gsub("^%s+", ""):gsub("%s+$", "") -- as the server reads --secret-file (stripped)
  f:close()
  commit, tag = args[5], args[6]
  delay_ms = 1000 * tonumber(args[3]) / tonumber(args[2])
  acked = io.open(args[4] .. "/acked-" .. tid .. ".txt", "a")
  -- self-check against the value GitHub documents for this secret and payload
  assert(hmac_hex("It's a Secret to Everybody", "Hello, World!")
    == "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "HMAC-SHA256 self-check failed")
end

-- open-loop pacing per connection: each request is due one period after the previous one was due (not after its
-- answer), so the achieved rate does not sink by the latency; a connection that fell behind does not burst
local ffi = require("ffi")
ffi.cdef("typedef struct { long sec; long nsec; } bench_timespec; int clock_gettime(int, bench_timespec *);")
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.sec) * 1000 + tonumber(ts.nsec) / 1e6
end
local next_due
function delay()
  local now = now_ms()
  next_due = (next_due or now) + delay_ms
  if next_due < now then
    next_due = now
  end
  return next_due - now
end

function request()
  n = n + 1
  pending = tag .. "-" .. tid .. "-" .. n
  local body = '{"ref":"refs/heads/main","after":"' .. commit .. '","repository":{"full_name":"bench/repo"},'
    .. '"pusher":{"name":"wrk"},"n":' .. n .. '}'
  return wrk.format("POST", "/github-webhook", {
    ["Content-Type"] = "application/json",
    ["X-GitHub-Event"] = "push",
    ["X-GitHub-Delivery"] = pending,
    ["X-Hub-Signature-256"] = "sha256=" .. hmac_hex(secret, body),
  }, body)
end

function response(status, headers, body)
  if pending and (status == 200 or status == 202) then
    acked:write(pending, "\n")
    acked:flush()
  end
  pending = nil
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.2f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d "
    .. "connect_err=%d read_err=%d write_err=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout))
end
