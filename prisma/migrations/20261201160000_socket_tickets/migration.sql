-- Short-lived single-use tickets for WebSocket upgrades (/sync, /yjs), so no long-lived
-- token rides in a URL that proxies log. Stored here rather than in one process so any
-- instance behind the load balancer can redeem a ticket another one issued; only the
-- SHA-256 of a ticket is kept. A ticket dies with its session.
CREATE TABLE "socket_tickets" (
    "ticket_hash" TEXT NOT NULL,
    "session_hash" TEXT NOT NULL,
    "project_id" TEXT,
    "expires_at" BIGINT NOT NULL,
    CONSTRAINT "socket_tickets_pkey" PRIMARY KEY ("ticket_hash")
);
CREATE INDEX "socket_tickets_expires_at_idx" ON "socket_tickets"("expires_at");
CREATE INDEX "socket_tickets_session_hash_idx" ON "socket_tickets"("session_hash");
ALTER TABLE "socket_tickets" ADD CONSTRAINT "socket_tickets_session_hash_fkey" FOREIGN KEY ("session_hash") REFERENCES "sessions"("token_hash") ON DELETE CASCADE ON UPDATE CASCADE;
