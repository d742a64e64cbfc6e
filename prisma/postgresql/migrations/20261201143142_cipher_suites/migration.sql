-- AlterTable
ALTER TABLE "SslCheck" ADD COLUMN     "cipherSuites" JSONB;

