-- AlterTable
ALTER TABLE "SslCheck" ADD COLUMN "chainErrorCode" TEXT;


-- Backfill: the code each stored message stands for (src/probes/tls/chain-verdict.ts).
UPDATE "SslCheck" SET "chainErrorCode" = CASE
  WHEN "chainError" LIKE 'hostname mismatch%' THEN 'hostname_mismatch'
  WHEN "chainError" = 'certificate has expired' THEN 'expired'
  WHEN "chainError" = 'certificate is not yet valid' THEN 'not_yet_valid'
  WHEN "chainError" = 'self-signed certificate' THEN 'self_signed'
  WHEN "chainError" = 'self-signed certificate in the chain (untrusted root)' THEN 'untrusted_root'
  WHEN "chainError" = 'unknown issuer or missing intermediate certificate' THEN 'incomplete_chain'
  WHEN "chainError" = 'certificate signature does not verify' THEN 'bad_signature'
  WHEN "chainError" = 'certificate has been revoked' THEN 'revoked'
  ELSE 'untrusted'
END
WHERE "chainError" IS NOT NULL;
