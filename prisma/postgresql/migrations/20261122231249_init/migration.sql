-- CreateEnum
CREATE TYPE "Permission" AS ENUM ('read', 'write');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('info', 'warning', 'critical');

-- CreateEnum
CREATE TYPE "AlertType" AS ENUM ('ssl_expiry', 'whois_expiry', 'ssl_invalid', 'ssl_unreachable', 'ssl_changed', 'whois_error', 'webhook_disabled');

-- CreateEnum
CREATE TYPE "WebhookFormat" AS ENUM ('generic', 'slack', 'discord');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'succeeded', 'failed');

-- CreateEnum
CREATE TYPE "RegistrationSource" AS ENUM ('rdap', 'whois');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "monitorLimit" INTEGER NOT NULL DEFAULT 1000,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "permissions" JSONB NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Domain" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 443,
    "address" TEXT,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "notes" TEXT,
    "tags" JSONB NOT NULL,
    "alertDays" JSONB,
    "registrableDomain" TEXT NOT NULL,
    "nextSslCheckAt" TIMESTAMP(3),
    "nextWhoisCheckAt" TIMESTAMP(3),
    "claimedBy" TEXT,
    "claimExpiresAt" TIMESTAMP(3),
    "failureCount" INTEGER NOT NULL DEFAULT 0,
    "sslGrade" TEXT,
    "sslValidTo" TIMESTAMP(3),
    "sslCheckedAt" TIMESTAMP(3),
    "sslError" TEXT,
    "whoisExpiresAt" TIMESTAMP(3),
    "whoisCheckedAt" TIMESTAMP(3),
    "whoisError" TEXT,
    "expiresAt" TIMESTAMP(3),
    "criticalAt" TIMESTAMP(3),
    "warningAt" TIMESTAMP(3),
    "hasError" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Domain_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SslCheck" (
    "id" TEXT NOT NULL,
    "domainId" TEXT NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "error" TEXT,
    "subject" TEXT,
    "issuer" TEXT,
    "validFrom" TIMESTAMP(3),
    "validTo" TIMESTAMP(3),
    "serialNumber" TEXT,
    "fingerprint256" TEXT,
    "sans" JSONB,
    "keyType" TEXT,
    "keySize" INTEGER,
    "signatureAlgorithm" TEXT,
    "tlsVersion" TEXT,
    "cipher" TEXT,
    "chainValid" BOOLEAN,
    "chainError" TEXT,
    "hostnameValid" BOOLEAN,
    "chain" JSONB,
    "earliestExpiry" TIMESTAMP(3),
    "ocspStapled" BOOLEAN,
    "hsts" BOOLEAN,
    "hstsMaxAge" INTEGER,
    "hstsIncludeSubdomains" BOOLEAN,
    "hstsPreload" BOOLEAN,
    "protocols" JSONB,
    "grade" TEXT,
    "gradeReasons" JSONB,

    CONSTRAINT "SslCheck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WhoisCheck" (
    "id" TEXT NOT NULL,
    "registrableDomain" TEXT NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" "RegistrationSource",
    "error" TEXT,
    "registrar" TEXT,
    "registrarIanaId" TEXT,
    "createdDate" TIMESTAMP(3),
    "expiryDate" TIMESTAMP(3),
    "updatedDate" TIMESTAMP(3),
    "dnssec" BOOLEAN,
    "nameservers" JSONB,
    "statuses" JSONB,

    CONSTRAINT "WhoisCheck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "domainId" TEXT,
    "hostname" TEXT NOT NULL,
    "type" "AlertType" NOT NULL,
    "severity" "Severity" NOT NULL,
    "title" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "thresholdDays" INTEGER,
    "dedupeKey" TEXT NOT NULL,
    "triggeredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Webhook" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "format" "WebhookFormat" NOT NULL DEFAULT 'generic',
    "eventTypes" JSONB NOT NULL,
    "minSeverity" "Severity" NOT NULL DEFAULT 'info',
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "failureCount" INTEGER NOT NULL DEFAULT 0,
    "disabledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Webhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "alertId" TEXT,
    "eventType" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAttemptAt" TIMESTAMP(3),
    "responseStatus" INTEGER,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_keyHash_key" ON "ApiKey"("keyHash");

-- CreateIndex
CREATE INDEX "ApiKey_userId_createdAt_idx" ON "ApiKey"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "Domain_userId_createdAt_idx" ON "Domain"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "Domain_userId_hostname_idx" ON "Domain"("userId", "hostname");

-- CreateIndex
CREATE INDEX "Domain_userId_sslValidTo_idx" ON "Domain"("userId", "sslValidTo");

-- CreateIndex
CREATE INDEX "Domain_userId_whoisExpiresAt_idx" ON "Domain"("userId", "whoisExpiresAt");

-- CreateIndex
CREATE INDEX "Domain_userId_expiresAt_idx" ON "Domain"("userId", "expiresAt");

-- CreateIndex
CREATE INDEX "Domain_registrableDomain_idx" ON "Domain"("registrableDomain");

-- CreateIndex
CREATE INDEX "Domain_isActive_nextSslCheckAt_idx" ON "Domain"("isActive", "nextSslCheckAt");

-- CreateIndex
CREATE INDEX "Domain_isActive_nextWhoisCheckAt_idx" ON "Domain"("isActive", "nextWhoisCheckAt");

-- CreateIndex
CREATE UNIQUE INDEX "Domain_userId_hostname_port_key" ON "Domain"("userId", "hostname", "port");

-- CreateIndex
CREATE INDEX "SslCheck_domainId_checkedAt_idx" ON "SslCheck"("domainId", "checkedAt");

-- CreateIndex
CREATE INDEX "WhoisCheck_registrableDomain_checkedAt_idx" ON "WhoisCheck"("registrableDomain", "checkedAt");

-- CreateIndex
CREATE INDEX "Alert_userId_triggeredAt_idx" ON "Alert"("userId", "triggeredAt");

-- CreateIndex
CREATE INDEX "Alert_domainId_triggeredAt_idx" ON "Alert"("domainId", "triggeredAt");

-- CreateIndex
CREATE UNIQUE INDEX "Alert_userId_dedupeKey_key" ON "Alert"("userId", "dedupeKey");

-- CreateIndex
CREATE INDEX "Webhook_userId_createdAt_idx" ON "Webhook"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_webhookId_createdAt_idx" ON "WebhookDelivery"("webhookId", "createdAt");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Domain" ADD CONSTRAINT "Domain_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SslCheck" ADD CONSTRAINT "SslCheck_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Webhook" ADD CONSTRAINT "Webhook_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "Webhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

