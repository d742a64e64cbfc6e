-- AlterTable
ALTER TABLE "Domain" ADD COLUMN     "sslValidFrom" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "WhoisCheck" ADD COLUMN     "forDomainId" TEXT;

-- AlterTable
ALTER TABLE "Registration" ADD COLUMN     "failingSince" TIMESTAMP(3);


-- Hand-written: existing domains take their certificate's validity start from their latest check,
-- so the lifetime-scaled thresholds apply before the next check.
UPDATE "Domain" SET "sslValidFrom" = (
  SELECT "validFrom" FROM "SslCheck" WHERE "SslCheck"."id" = "Domain"."latestSslCheckId" AND "SslCheck"."error" IS NULL
);
