-- AlterTable
ALTER TABLE "SslCheck" ADD COLUMN     "address" TEXT,
ADD COLUMN     "issuerParts" JSONB,
ADD COLUMN     "subjectParts" JSONB;

