-- Written by hand (Prisma's schema cannot express them; see the note in prisma/models.prisma).
-- The day sorts put domains without a date last: Prisma renders that as
-- ORDER BY CASE WHEN x IS NULL THEN 1 ELSE 0 END, x, id. These indexes hold exactly that order,
-- ascending and descending, so a page of 100,000 domains sorted by days is read off an index.
CREATE INDEX "Domain_userId_sslValidTo_nullsLast_asc_idx" ON "Domain"("userId", (CASE WHEN "sslValidTo" IS NULL THEN 1 ELSE 0 END), "sslValidTo", "id");
CREATE INDEX "Domain_userId_sslValidTo_nullsLast_desc_idx" ON "Domain"("userId", (CASE WHEN "sslValidTo" IS NULL THEN 1 ELSE 0 END), "sslValidTo" DESC, "id" DESC);
CREATE INDEX "Domain_userId_whoisExpiresAt_nullsLast_asc_idx" ON "Domain"("userId", (CASE WHEN "whoisExpiresAt" IS NULL THEN 1 ELSE 0 END), "whoisExpiresAt", "id");
CREATE INDEX "Domain_userId_whoisExpiresAt_nullsLast_desc_idx" ON "Domain"("userId", (CASE WHEN "whoisExpiresAt" IS NULL THEN 1 ELSE 0 END), "whoisExpiresAt" DESC, "id" DESC);
