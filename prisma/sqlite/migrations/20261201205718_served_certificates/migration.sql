-- AlterTable
ALTER TABLE "SslCheck" ADD COLUMN "chainFingerprints" JSONB;

-- CreateTable
CREATE TABLE "Certificate" (
    "fingerprint256" TEXT NOT NULL PRIMARY KEY,
    "der" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

