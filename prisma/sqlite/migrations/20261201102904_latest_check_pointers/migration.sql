-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Domain" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 443,
    "address" TEXT,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "notes" TEXT,
    "tags" JSONB NOT NULL,
    "alertDays" JSONB,
    "registrableDomain" TEXT NOT NULL,
    "nextSslCheckAt" DATETIME,
    "nextWhoisCheckAt" DATETIME,
    "claimedBy" TEXT,
    "claimExpiresAt" DATETIME,
    "failureCount" INTEGER NOT NULL DEFAULT 0,
    "sslGrade" TEXT,
    "sslValidTo" DATETIME,
    "sslCheckedAt" DATETIME,
    "sslError" TEXT,
    "sslExpiresAt" DATETIME,
    "whoisExpiresAt" DATETIME,
    "whoisCheckedAt" DATETIME,
    "whoisError" TEXT,
    "expiresAt" DATETIME,
    "criticalAt" DATETIME,
    "warningAt" DATETIME,
    "hasError" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "latestSslCheckId" TEXT,
    CONSTRAINT "Domain_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Domain_latestSslCheckId_fkey" FOREIGN KEY ("latestSslCheckId") REFERENCES "SslCheck" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Domain" ("address", "alertDays", "claimExpiresAt", "claimedBy", "createdAt", "criticalAt", "expiresAt", "failureCount", "hasError", "hostname", "id", "isActive", "nextSslCheckAt", "nextWhoisCheckAt", "notes", "port", "registrableDomain", "sslCheckedAt", "sslError", "sslExpiresAt", "sslGrade", "sslValidTo", "tags", "updatedAt", "userId", "warningAt", "whoisCheckedAt", "whoisError", "whoisExpiresAt") SELECT "address", "alertDays", "claimExpiresAt", "claimedBy", "createdAt", "criticalAt", "expiresAt", "failureCount", "hasError", "hostname", "id", "isActive", "nextSslCheckAt", "nextWhoisCheckAt", "notes", "port", "registrableDomain", "sslCheckedAt", "sslError", "sslExpiresAt", "sslGrade", "sslValidTo", "tags", "updatedAt", "userId", "warningAt", "whoisCheckedAt", "whoisError", "whoisExpiresAt" FROM "Domain";
DROP TABLE "Domain";
ALTER TABLE "new_Domain" RENAME TO "Domain";
CREATE UNIQUE INDEX "Domain_latestSslCheckId_key" ON "Domain"("latestSslCheckId");
CREATE INDEX "Domain_userId_createdAt_idx" ON "Domain"("userId", "createdAt");
CREATE INDEX "Domain_userId_hostname_idx" ON "Domain"("userId", "hostname");
CREATE INDEX "Domain_userId_sslValidTo_idx" ON "Domain"("userId", "sslValidTo");
CREATE INDEX "Domain_userId_whoisExpiresAt_idx" ON "Domain"("userId", "whoisExpiresAt");
CREATE INDEX "Domain_userId_expiresAt_idx" ON "Domain"("userId", "expiresAt");
CREATE INDEX "Domain_registrableDomain_idx" ON "Domain"("registrableDomain");
CREATE INDEX "Domain_isActive_nextSslCheckAt_idx" ON "Domain"("isActive", "nextSslCheckAt");
CREATE INDEX "Domain_isActive_nextWhoisCheckAt_idx" ON "Domain"("isActive", "nextWhoisCheckAt");
CREATE UNIQUE INDEX "Domain_userId_hostname_port_key" ON "Domain"("userId", "hostname", "port");
CREATE TABLE "new_Registration" (
    "registrableDomain" TEXT NOT NULL PRIMARY KEY,
    "nextCheckAt" DATETIME,
    "failureCount" INTEGER NOT NULL DEFAULT 0,
    "claimedBy" TEXT,
    "claimExpiresAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    "latestCheckId" TEXT,
    CONSTRAINT "Registration_latestCheckId_fkey" FOREIGN KEY ("latestCheckId") REFERENCES "WhoisCheck" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Registration" ("claimExpiresAt", "claimedBy", "failureCount", "nextCheckAt", "registrableDomain", "updatedAt") SELECT "claimExpiresAt", "claimedBy", "failureCount", "nextCheckAt", "registrableDomain", "updatedAt" FROM "Registration";
DROP TABLE "Registration";
ALTER TABLE "new_Registration" RENAME TO "Registration";
CREATE UNIQUE INDEX "Registration_latestCheckId_key" ON "Registration"("latestCheckId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- Backfill: each domain's newest SSL check and each registration's newest lookup.
UPDATE "Domain" SET "latestSslCheckId" = (
  SELECT "id" FROM "SslCheck" WHERE "SslCheck"."domainId" = "Domain"."id"
  ORDER BY "checkedAt" DESC, "id" DESC LIMIT 1
);
UPDATE "Registration" SET "latestCheckId" = (
  SELECT "id" FROM "WhoisCheck" WHERE "WhoisCheck"."registrableDomain" = "Registration"."registrableDomain"
  ORDER BY "checkedAt" DESC, "id" DESC LIMIT 1
);
