-- AlterTable
ALTER TABLE "SslCheck" ADD COLUMN     "chainFingerprints" JSONB;

-- CreateTable
CREATE TABLE "Certificate" (
    "fingerprint256" TEXT NOT NULL,
    "der" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Certificate_pkey" PRIMARY KEY ("fingerprint256")
);

