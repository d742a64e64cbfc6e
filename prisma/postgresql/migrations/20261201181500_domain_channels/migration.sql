-- AlterTable
ALTER TABLE "Domain" ADD COLUMN     "serviceId" TEXT;

-- CreateTable
CREATE TABLE "DomainChannel" (
    "domainId" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,

    CONSTRAINT "DomainChannel_pkey" PRIMARY KEY ("domainId","webhookId")
);

-- CreateIndex
CREATE INDEX "DomainChannel_webhookId_idx" ON "DomainChannel"("webhookId");

-- AddForeignKey
ALTER TABLE "DomainChannel" ADD CONSTRAINT "DomainChannel_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DomainChannel" ADD CONSTRAINT "DomainChannel_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "Webhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

