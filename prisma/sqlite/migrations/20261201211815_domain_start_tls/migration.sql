-- AlterTable
ALTER TABLE "Domain" ADD COLUMN "startTls" TEXT;

