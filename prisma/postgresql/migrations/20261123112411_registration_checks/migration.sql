-- CreateEnum
CREATE TYPE "RegistrationOutcome" AS ENUM ('registered', 'not_registered', 'rate_limited', 'timeout', 'unreachable', 'server_error', 'invalid_response', 'unsupported');

-- AlterTable
ALTER TABLE "Domain" ADD COLUMN     "sslExpiresAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "WhoisCheck" ADD COLUMN     "expiryNote" TEXT,
ADD COLUMN     "outcome" "RegistrationOutcome" NOT NULL,
ADD COLUMN     "retryAfter" TIMESTAMP(3),
ADD COLUMN     "server" TEXT,
ALTER COLUMN "nameservers" SET NOT NULL,
ALTER COLUMN "statuses" SET NOT NULL;

-- CreateTable
CREATE TABLE "Registration" (
    "registrableDomain" TEXT NOT NULL,
    "nextCheckAt" TIMESTAMP(3),
    "failureCount" INTEGER NOT NULL DEFAULT 0,
    "claimedBy" TEXT,
    "claimExpiresAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Registration_pkey" PRIMARY KEY ("registrableDomain")
);

