-- AlterTable
ALTER TABLE "SslCheck" ADD COLUMN "address" TEXT;
ALTER TABLE "SslCheck" ADD COLUMN "issuerParts" JSONB;
ALTER TABLE "SslCheck" ADD COLUMN "subjectParts" JSONB;

