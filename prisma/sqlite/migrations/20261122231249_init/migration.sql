-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "monitorLimit" INTEGER NOT NULL DEFAULT 1000,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "permissions" JSONB NOT NULL,
    "expiresAt" DATETIME,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ApiKey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Domain" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 443,
    "address" TEXT,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "notes" TEXT,
    "tags" JSONB NOT NULL,
    "alertDays" JSONB,
    "registrableDomain" TEXT NOT NULL,
    "nextSslCheckAt" DATETIME,
    "nextWhoisCheckAt" DATETIME,
    "claimedBy" TEXT,
    "claimExpiresAt" DATETIME,
    "failureCount" INTEGER NOT NULL DEFAULT 0,
    "sslGrade" TEXT,
    "sslValidTo" DATETIME,
    "sslCheckedAt" DATETIME,
    "sslError" TEXT,
    "whoisExpiresAt" DATETIME,
    "whoisCheckedAt" DATETIME,
    "whoisError" TEXT,
    "expiresAt" DATETIME,
    "criticalAt" DATETIME,
    "warningAt" DATETIME,
    "hasError" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Domain_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SslCheck" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "domainId" TEXT NOT NULL,
    "checkedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "error" TEXT,
    "subject" TEXT,
    "issuer" TEXT,
    "validFrom" DATETIME,
    "validTo" DATETIME,
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
    "earliestExpiry" DATETIME,
    "ocspStapled" BOOLEAN,
    "hsts" BOOLEAN,
    "hstsMaxAge" INTEGER,
    "hstsIncludeSubdomains" BOOLEAN,
    "hstsPreload" BOOLEAN,
    "protocols" JSONB,
    "grade" TEXT,
    "gradeReasons" JSONB,
    CONSTRAINT "SslCheck_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WhoisCheck" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "registrableDomain" TEXT NOT NULL,
    "checkedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT,
    "error" TEXT,
    "registrar" TEXT,
    "registrarIanaId" TEXT,
    "createdDate" DATETIME,
    "expiryDate" DATETIME,
    "updatedDate" DATETIME,
    "dnssec" BOOLEAN,
    "nameservers" JSONB,
    "statuses" JSONB
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "domainId" TEXT,
    "hostname" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "thresholdDays" INTEGER,
    "dedupeKey" TEXT NOT NULL,
    "triggeredAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME,
    CONSTRAINT "Alert_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Alert_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Webhook" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "format" TEXT NOT NULL DEFAULT 'generic',
    "eventTypes" JSONB NOT NULL,
    "minSeverity" TEXT NOT NULL DEFAULT 'info',
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "failureCount" INTEGER NOT NULL DEFAULT 0,
    "disabledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Webhook_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "webhookId" TEXT NOT NULL,
    "alertId" TEXT,
    "eventType" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAttemptAt" DATETIME,
    "responseStatus" INTEGER,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WebhookDelivery_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "Webhook" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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

