-- AlterTable
ALTER TABLE "SslCheck" ADD COLUMN "caa" JSONB;
ALTER TABLE "SslCheck" ADD COLUMN "revocation" JSONB;

