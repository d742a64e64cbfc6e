-- AlterTable
ALTER TABLE "SslCheck" ADD COLUMN     "protocolsScannedAt" TIMESTAMP(3);


-- Backfill: when the check that holds a scan ran (a carried scan is older: rescanned at most one interval late).
UPDATE "SslCheck" SET "protocolsScannedAt" = "checkedAt" WHERE "protocols" IS NOT NULL;
