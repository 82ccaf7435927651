-- The events an organization's ERP learns about (src/events/): each is written in the transaction
-- of the change it reports, with a monotonic sequence that the feed pages by. Kept 30 days.
-- Times in milliseconds since 1970.
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so a reader's position stays valid
  id TEXT NOT NULL UNIQUE,                -- evt_…
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  type TEXT NOT NULL,                     -- user.invited, user.joined, …
  company_id INTEGER,                     -- the company it concerns, if any (kept if it goes)
  company_external_id TEXT,               -- that company's ERP id at the time
  subject TEXT NOT NULL,                  -- JSON: {"type": "user", "id": 7}
  data TEXT NOT NULL,                     -- JSON object
  created_at INTEGER NOT NULL
);
CREATE INDEX events_org_seq ON events (org_id, seq);
CREATE INDEX events_created ON events (created_at);

-- Where an organization's events are POSTed (Standard Webhooks).
CREATE TABLE webhook_endpoints (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  events TEXT NOT NULL,                   -- JSON array of the event types it receives
  secret TEXT NOT NULL,                   -- whsec_…, sealed with the secret box
  previous_secret TEXT,                   -- after a rotation: the old one, sealed, still signing
  previous_until INTEGER,                 -- … until then
  disabled_at INTEGER,                    -- set when the receiver answered 410 Gone
  disabled_reason TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX webhook_endpoints_org ON webhook_endpoints (org_id);

-- One message (an event) for one endpoint, with its attempts so far. Its webhook-id stays the same
-- across retries and replays.
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_seq INTEGER NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
  message_id TEXT NOT NULL,               -- the webhook-id header: msg_…
  status TEXT NOT NULL DEFAULT 'pending', -- pending | delivered | failed
  attempts INTEGER NOT NULL DEFAULT 0,
  response_code INTEGER,                  -- of the last attempt that got an answer
  last_error TEXT,                        -- English, for operators
  last_attempt_at INTEGER,
  delivered_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_seq);
