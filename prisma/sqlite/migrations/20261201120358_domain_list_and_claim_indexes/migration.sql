-- DropIndex
DROP INDEX "Domain_userId_createdAt_idx";

-- DropIndex
DROP INDEX "Domain_userId_hostname_idx";

-- DropIndex
DROP INDEX "Domain_userId_sslValidTo_idx";

-- DropIndex
DROP INDEX "Domain_userId_whoisExpiresAt_idx";

-- DropIndex
DROP INDEX "Domain_isActive_nextSslCheckAt_idx";

-- DropIndex
DROP INDEX "Domain_isActive_nextWhoisCheckAt_idx";

-- CreateIndex
CREATE INDEX "Domain_userId_createdAt_id_idx" ON "Domain"("userId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Domain_userId_hostname_id_idx" ON "Domain"("userId", "hostname", "id");

-- CreateIndex
CREATE INDEX "Domain_userId_sslValidTo_id_idx" ON "Domain"("userId", "sslValidTo", "id");

-- CreateIndex
CREATE INDEX "Domain_userId_whoisExpiresAt_id_idx" ON "Domain"("userId", "whoisExpiresAt", "id");

-- CreateIndex
CREATE INDEX "Domain_userId_hasError_expiresAt_criticalAt_warningAt_sslCheckedAt_whoisCheckedAt_idx" ON "Domain"("userId", "hasError", "expiresAt", "criticalAt", "warningAt", "sslCheckedAt", "whoisCheckedAt");

-- CreateIndex
CREATE INDEX "Domain_isActive_nextSslCheckAt_id_idx" ON "Domain"("isActive", "nextSslCheckAt", "id");

-- CreateIndex
CREATE INDEX "Domain_isActive_nextWhoisCheckAt_id_idx" ON "Domain"("isActive", "nextWhoisCheckAt", "id");

-- CreateIndex
CREATE INDEX "Domain_sslCheckedAt_nextSslCheckAt_idx" ON "Domain"("sslCheckedAt", "nextSslCheckAt");

