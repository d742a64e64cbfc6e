-- AlterTable
ALTER TABLE "Webhook" ADD COLUMN "description" TEXT;
ALTER TABLE "Webhook" ADD COLUMN "failingSince" DATETIME;

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN "claimExpiresAt" DATETIME;
ALTER TABLE "WebhookDelivery" ADD COLUMN "claimedBy" TEXT;
ALTER TABLE "WebhookDelivery" ADD COLUMN "durationMs" INTEGER;
ALTER TABLE "WebhookDelivery" ADD COLUMN "responseBody" TEXT;

