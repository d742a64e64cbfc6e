-- AlterTable
ALTER TABLE "Domain" ADD COLUMN "serviceId" TEXT;

-- CreateTable
CREATE TABLE "DomainChannel" (
    "domainId" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,

    PRIMARY KEY ("domainId", "webhookId"),
    CONSTRAINT "DomainChannel_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DomainChannel_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "Webhook" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "DomainChannel_webhookId_idx" ON "DomainChannel"("webhookId");

