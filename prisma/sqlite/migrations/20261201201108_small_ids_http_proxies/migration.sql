-- Written by hand from Prisma's diff: plain ADD COLUMNs instead of its rebuild of "Domain", which
-- would drop the hand-written day-sort indexes (domain_day_sort_indexes) and copy every row.
-- AlterTable
ALTER TABLE "User" ADD COLUMN "number" INTEGER;
ALTER TABLE "ApiKey" ADD COLUMN "number" INTEGER;
ALTER TABLE "Domain" ADD COLUMN "number" INTEGER;
ALTER TABLE "Domain" ADD COLUMN "httpPath" TEXT NOT NULL DEFAULT '/';
ALTER TABLE "Domain" ADD COLUMN "proxyHost" TEXT;
ALTER TABLE "Domain" ADD COLUMN "proxyPort" INTEGER;
ALTER TABLE "Domain" ADD COLUMN "proxyUsername" TEXT;
ALTER TABLE "Domain" ADD COLUMN "proxyPassword" TEXT;
ALTER TABLE "SslCheck" ADD COLUMN "addressGeo" TEXT;
ALTER TABLE "SslCheck" ADD COLUMN "addressName" TEXT;
ALTER TABLE "SslCheck" ADD COLUMN "http" JSONB;

-- CreateTable
CREATE TABLE "IdCounter" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "value" INTEGER NOT NULL DEFAULT 0
);

-- CreateIndex
CREATE UNIQUE INDEX "User_number_key" ON "User"("number");
CREATE UNIQUE INDEX "ApiKey_userId_number_key" ON "ApiKey"("userId", "number");
CREATE UNIQUE INDEX "Domain_userId_number_key" ON "Domain"("userId", "number");

-- Backfill (by hand): existing rows numbered in the order they were created, and each counter set to
-- the highest number it has handed out, so new rows continue after them.
UPDATE "User" SET "number" = r.n FROM (
  SELECT "id", row_number() OVER (ORDER BY "createdAt", "id") AS n FROM "User"
) AS r WHERE r."id" = "User"."id";
UPDATE "ApiKey" SET "number" = r.n FROM (
  SELECT "id", row_number() OVER (PARTITION BY "userId" ORDER BY "createdAt", "id") AS n FROM "ApiKey"
) AS r WHERE r."id" = "ApiKey"."id";
UPDATE "Domain" SET "number" = r.n FROM (
  SELECT "id", row_number() OVER (PARTITION BY "userId" ORDER BY "createdAt", "id") AS n FROM "Domain"
) AS r WHERE r."id" = "Domain"."id";
INSERT INTO "IdCounter" ("name", "value") SELECT 'user', MAX("number") FROM "User" HAVING COUNT(*) > 0;
INSERT INTO "IdCounter" ("name", "value") SELECT 'apikey:' || "userId", MAX("number") FROM "ApiKey" GROUP BY "userId";
INSERT INTO "IdCounter" ("name", "value") SELECT 'domain:' || "userId", MAX("number") FROM "Domain" GROUP BY "userId";
