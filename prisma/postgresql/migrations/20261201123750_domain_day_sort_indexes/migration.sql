-- Written by hand (Prisma's schema cannot express NULLS LAST in an index; see prisma/models.prisma).
-- The day sorts put domains without a date last (ORDER BY x ASC|DESC NULLS LAST, id): these
-- indexes hold that order both ways, so a deep page sorted by days is read off an index.
CREATE INDEX "Domain_userId_sslValidTo_nullsLast_asc_idx" ON "Domain"("userId", "sslValidTo" ASC NULLS LAST, "id" ASC);
CREATE INDEX "Domain_userId_sslValidTo_nullsLast_desc_idx" ON "Domain"("userId", "sslValidTo" DESC NULLS LAST, "id" DESC);
CREATE INDEX "Domain_userId_whoisExpiresAt_nullsLast_asc_idx" ON "Domain"("userId", "whoisExpiresAt" ASC NULLS LAST, "id" ASC);
CREATE INDEX "Domain_userId_whoisExpiresAt_nullsLast_desc_idx" ON "Domain"("userId", "whoisExpiresAt" DESC NULLS LAST, "id" DESC);
