-- AlterTable
ALTER TABLE "Domain" ADD COLUMN "sslExpiresAt" DATETIME;

-- CreateTable
CREATE TABLE "Registration" (
    "registrableDomain" TEXT NOT NULL PRIMARY KEY,
    "nextCheckAt" DATETIME,
    "failureCount" INTEGER NOT NULL DEFAULT 0,
    "claimedBy" TEXT,
    "claimExpiresAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_WhoisCheck" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "registrableDomain" TEXT NOT NULL,
    "checkedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT,
    "server" TEXT,
    "outcome" TEXT NOT NULL,
    "error" TEXT,
    "expiryNote" TEXT,
    "retryAfter" DATETIME,
    "registrar" TEXT,
    "registrarIanaId" TEXT,
    "createdDate" DATETIME,
    "expiryDate" DATETIME,
    "updatedDate" DATETIME,
    "dnssec" BOOLEAN,
    "nameservers" JSONB NOT NULL,
    "statuses" JSONB NOT NULL
);
INSERT INTO "new_WhoisCheck" ("checkedAt", "createdDate", "dnssec", "error", "expiryDate", "id", "nameservers", "registrableDomain", "registrar", "registrarIanaId", "source", "statuses", "updatedDate") SELECT "checkedAt", "createdDate", "dnssec", "error", "expiryDate", "id", "nameservers", "registrableDomain", "registrar", "registrarIanaId", "source", "statuses", "updatedDate" FROM "WhoisCheck";
DROP TABLE "WhoisCheck";
ALTER TABLE "new_WhoisCheck" RENAME TO "WhoisCheck";
CREATE INDEX "WhoisCheck_registrableDomain_checkedAt_idx" ON "WhoisCheck"("registrableDomain", "checkedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

