-- POST /api/comments/ with a body no other request of this run repeats (the duplicate rule refuses
-- the same text from the same address). BENCH_PAGE: the article; BENCH_NONCE: unique per wrk run.
local page = os.getenv("BENCH_PAGE")
local nonce = os.getenv("BENCH_NONCE") or tostring(os.time())
local counter = 0
-- A global: wrk's thread:set() in setup() gives each thread its own number here.
thread_number = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local created = 0
function setup(thread)
  created = created + 1
  thread:set("thread_number", created)
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"page": %s, "name": "Bench reader", "email": "reader@example.com", ' ..
    '"body": "Comment %s-%d-%d: the soleus trigger point eased after three days of gentle pressure."}',
    page, nonce, thread_number, counter)
  return wrk.format(nil, nil, nil, body)
end
