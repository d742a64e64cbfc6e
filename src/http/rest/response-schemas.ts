// The JSON Schema (2020-12, as OpenAPI 3.1 uses it) of every REST answer, one per shape the
// `*-json.ts` renderers write. Enum values come from the GraphQL schema, lower-cased as REST writes
// them. The test suite checks every answer it gets against these, so a renderer that drifts fails.
import { type GraphQLSchema, isEnumType } from "graphql";

export type JsonSchema = Record<string, unknown>;

const string = { type: "string" };
const int = { type: "integer" };
const bool = { type: "boolean" };
const time = { type: "string", format: "date-time" };
/** SSLmonitor's timestamps: `YYYY-MM-DD HH:MM`, UTC. */
const minute = { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}$" };
const nullable = (schema: JsonSchema): JsonSchema => ({ ...schema, type: [schema.type, "null"] });
const list = (items: JsonSchema): JsonSchema => ({ type: "array", items });
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
/** An object with exactly these properties, all present (null where nullable). */
const object = (properties: Record<string, JsonSchema>): JsonSchema => ({
  type: "object",
  additionalProperties: false,
  required: Object.keys(properties),
  properties,
});
const page = (item: string) => object({ data: list(ref(item)), pagination: ref("Pagination") });

export function responseSchemas(schema: GraphQLSchema): Record<string, JsonSchema> {
  const values = (name: string): JsonSchema => {
    const type = schema.getType(name);
    if (!isEnumType(type)) throw new Error(`${name} is not a GraphQL enum`);
    return { type: "string", enum: type.getValues().map((value) => value.name.toLowerCase()) };
  };
  const domainListItem = {
    id: string,
    hostname: string,
    port: int,
    is_active: bool,
    ssl_grade: nullable(string),
    ssl_days_remaining: nullable(int),
    whois_days_remaining: nullable(int),
    tags: list(string),
    created_at: time,
    status: values("DomainStatus"),
  };
  const webhook = {
    id: string,
    url: string,
    description: nullable(string),
    format: values("WebhookFormat"),
    event_types: list(values("AlertType")),
    min_severity: values("Severity"),
    is_active: bool,
    failure_count: int,
    disabled_at: nullable(time),
    created_at: time,
    updated_at: time,
  };
  const apiKey = {
    id: string,
    label: string,
    permissions: list(values("Permission")),
    expires_at: nullable(time),
    last_used_at: nullable(time),
    created_at: time,
    prefix: string,
    revoked_at: nullable(time),
  };
  const exportRow = {
    hostname: string,
    port: int,
    address: nullable(string),
    is_active: bool,
    tags: list(string),
    notes: nullable(string),
    alert_days: nullable(list(int)),
    http_path: string,
    id: string,
    status: values("DomainStatus"),
    ssl_grade: nullable(string),
    ssl_valid_to: nullable(time),
    whois_expires_at: nullable(time),
    created_at: time,
  };
  return {
    Error: object({ error: string }),
    // The SSLmonitor dialect's shapes (dialects/sslmonitor-json.ts).
    SslmonitorError: object({ code: int, message: string, req_id: string }),
    SslmonitorOk: object({ success: int, message: string }),
    SslmonitorPing: object({ success: int, message: string, date_time: string, apikey_id: int }),
    SslmonitorAccount: object({
      success: int,
      message: string,
      id: int,
      email: string,
      monitor_limit: int,
      monitor_used: int,
      monitor_available: int,
    }),
    SslmonitorListItem: object({
      id: int,
      host: string,
      port: int,
      ssl_valid: bool,
      ssl_message: string,
      ssl_color: { type: "string", enum: ["green", "orange", "red", "grey"] },
      ssl_expire_days: nullable(int),
      ssl_expire_date_start: nullable(minute),
      ssl_expire_date_end: nullable(minute),
      ssl_host_match: nullable(bool),
      ssl_issuer: nullable(string),
      http_code: nullable(int),
      scan_date: nullable(minute),
    }),
    SslmonitorList: object({
      success: int,
      message: string,
      count: int,
      list: list(ref("SslmonitorListItem")),
    }),
    SslmonitorMonitor: object({
      success: int,
      message: string,
      monitor: object({
        id: int,
        host: string,
        port: int,
        scan_date: nullable(minute),
        ssl: {
          oneOf: [
            { type: "null" },
            object({
              date_start: minute,
              date_end: minute,
              expire_days: int,
              issuer_cn: nullable(string),
              issuer_c: nullable(string),
              issuer_o: nullable(string),
              subject_cn: nullable(string),
              subject_c: nullable(string),
              subject_o: nullable(string),
              alt_names: list(string),
            }),
          ],
        },
        http: {
          oneOf: [
            { type: "null" },
            object({
              ip: nullable(string),
              ip_rev: nullable(string),
              ip_geo: nullable(string),
              code: nullable(int),
              size: nullable(int),
              headers: list(object({ n: string, v: string })),
              html_title: nullable(string),
              meta_description: nullable(string),
              meta_keywords: nullable(string),
            }),
          ],
        },
      }),
    }),
    Message: object({ message: string }),
    Pagination: object({ page: int, per_page: int, total: int, total_pages: int }),
    DomainListItem: object(domainListItem),
    DomainPage: page("DomainListItem"),
    Domain: object({
      ...domainListItem,
      notes: nullable(string),
      updated_at: time,
      address: nullable(string),
      alert_days: nullable(list(int)),
      service_id: nullable(string),
      notification_channels: list(string),
      number: int,
      http_path: string,
      proxy: {
        oneOf: [
          { type: "null" },
          object({ host: string, port: int, username: nullable(string), has_password: bool }),
        ],
      },
    }),
    DomainImport: object({
      applied: bool,
      dry_run: bool,
      format: values("DomainFileFormat"),
      summary: object({ created: int, updated: int, unchanged: int, rejected: int }),
      lines: list(
        object({
          line: int,
          target: string,
          hostname: nullable(string),
          port: nullable(int),
          outcome: values("ImportOutcome"),
          reason: nullable(string),
          domain_id: nullable(string),
        }),
      ),
    }),
    DomainExportRow: object(exportRow),
    DomainExport: list(ref("DomainExportRow")),
    SslCheck: object({
      id: string,
      domain_id: string,
      subject: nullable(string),
      issuer: nullable(string),
      valid_from: nullable(time),
      valid_to: nullable(time),
      days_remaining: nullable(int),
      serial_number: nullable(string),
      tls_version: nullable(string),
      chain_valid: nullable(bool),
      hsts: nullable(bool),
      sans: nullable(list(string)),
      grade: nullable(string),
      checked_at: time,
      error: nullable(string),
      address: nullable(string),
      subject_parts: nullable({ type: "object" }),
      issuer_parts: nullable({ type: "object" }),
      fingerprint_sha256: nullable(string),
      key_type: nullable(string),
      key_size: nullable(int),
      signature_algorithm: nullable(string),
      cipher: nullable(string),
      chain_error: nullable(string),
      hostname_valid: nullable(bool),
      chain: nullable(list(object({ subject: string, issuer: string, valid_from: time, valid_to: time }))),
      earliest_expiry: nullable(time),
      ocsp_stapled: nullable(bool),
      hsts_max_age: nullable(int),
      hsts_include_subdomains: nullable(bool),
      hsts_preload: nullable(bool),
      protocols: nullable({ type: "object", additionalProperties: bool }),
      cipher_suites: nullable(
        list(
          object({
            protocol: string,
            secure_renegotiation: nullable(bool),
            suites: list(
              object({
                name: string,
                key_exchange: nullable(string),
                bits: nullable(int),
                forward_secrecy: bool,
                aead: bool,
                group: nullable(string),
                group_bits: nullable(int),
              }),
            ),
          }),
        ),
      ),
      grade_reasons: list(string),
    }),
    WhoisCheck: object({
      id: string,
      domain_id: string,
      registrar: nullable(string),
      created_date: nullable(time),
      expiry_date: nullable(time),
      days_remaining: nullable(int),
      dnssec: nullable(bool),
      nameservers: nullable(list(string)),
      checked_at: time,
      registrable_domain: string,
      outcome: values("RegistrationOutcome"),
      source: nullable(values("RegistrationSource")),
      server: nullable(string),
      error: nullable(string),
      expiry_note: nullable(string),
      retry_after: nullable(time),
      registrar_iana_id: nullable(string),
      updated_date: nullable(time),
      statuses: nullable(list(string)),
    }),
    ManualCheck: object({
      ssl: object({
        subject: nullable(string),
        issuer: nullable(string),
        valid_to: nullable(time),
        days_remaining: nullable(int),
        grade: nullable(string),
        tls_version: nullable(string),
        chain_valid: nullable(bool),
        checked_at: time,
        error: nullable(string),
      }),
      whois: nullable(
        object({
          registrar: nullable(string),
          expiry_date: nullable(time),
          days_remaining: nullable(int),
          checked_at: time,
          outcome: values("RegistrationOutcome"),
          error: nullable(string),
        }),
      ),
    }),
    Alert: object({
      id: string,
      domain_id: nullable(string),
      hostname: string,
      alert_type: values("AlertType"),
      severity: values("Severity"),
      title: string,
      message: string,
      threshold_days: nullable(int),
      triggered_at: time,
      resolved_at: nullable(time),
    }),
    AlertPage: page("Alert"),
    ApiKey: object(apiKey),
    ApiKeyWithKey: object({ ...apiKey, key: string }),
    ApiKeyList: object({ data: list(ref("ApiKey")) }),
    Webhook: object(webhook),
    WebhookWithSecret: object({ ...webhook, secret: string }),
    WebhookPage: page("Webhook"),
    WebhookDelivery: object({
      id: string,
      webhook_id: string,
      alert_id: nullable(string),
      event_type: string,
      status: values("DeliveryStatus"),
      attempts: int,
      next_attempt_at: nullable(time),
      last_attempt_at: nullable(time),
      response_status: nullable(int),
      response_body: nullable(string),
      duration_ms: nullable(int),
      error: nullable(string),
      created_at: time,
      payload: { type: "object" },
    }),
    WebhookDeliveryPage: page("WebhookDelivery"),
    SslMonitor: object({
      id: string,
      domain: string,
      port: int,
      alert_days: int,
      enabled: bool,
      last_checked_at: nullable(time),
      certificate: nullable(
        object({
          issuer: nullable(string),
          subject: nullable(string),
          valid_from: nullable(time),
          valid_to: time,
          days_until_expiry: nullable(int),
          is_valid: bool,
        }),
      ),
      service_id: nullable(string),
      created_at: time,
      notification_channels: list(string),
    }),
    SslMonitorPage: page("SslMonitor"),
  };
}
