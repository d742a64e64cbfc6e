-- AlterTable
ALTER TABLE "Webhook" ADD COLUMN     "description" TEXT,
ADD COLUMN     "failingSince" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "claimExpiresAt" TIMESTAMP(3),
ADD COLUMN     "claimedBy" TEXT,
ADD COLUMN     "durationMs" INTEGER,
ADD COLUMN     "responseBody" TEXT;

