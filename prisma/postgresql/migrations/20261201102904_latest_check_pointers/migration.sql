-- AlterTable
ALTER TABLE "Domain" ADD COLUMN     "latestSslCheckId" TEXT;

-- AlterTable
ALTER TABLE "Registration" ADD COLUMN     "latestCheckId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Domain_latestSslCheckId_key" ON "Domain"("latestSslCheckId");

-- CreateIndex
CREATE UNIQUE INDEX "Registration_latestCheckId_key" ON "Registration"("latestCheckId");

-- AddForeignKey
ALTER TABLE "Domain" ADD CONSTRAINT "Domain_latestSslCheckId_fkey" FOREIGN KEY ("latestSslCheckId") REFERENCES "SslCheck"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_latestCheckId_fkey" FOREIGN KEY ("latestCheckId") REFERENCES "WhoisCheck"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Backfill: each domain's newest SSL check and each registration's newest lookup.
UPDATE "Domain" SET "latestSslCheckId" = (
  SELECT "id" FROM "SslCheck" WHERE "SslCheck"."domainId" = "Domain"."id"
  ORDER BY "checkedAt" DESC, "id" DESC LIMIT 1
);
UPDATE "Registration" SET "latestCheckId" = (
  SELECT "id" FROM "WhoisCheck" WHERE "WhoisCheck"."registrableDomain" = "Registration"."registrableDomain"
  ORDER BY "checkedAt" DESC, "id" DESC LIMIT 1
);
