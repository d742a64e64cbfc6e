// POST /csr/decode: a certificate signing request read before a reissue (GraphQL decodeCsr).
import { camelKeys, type Route } from "../route.js";

type Row = Record<string, unknown>;

export const csrRoutes: Route[] = [
  {
    method: "POST",
    path: "/csr/decode",
    summary:
      "Decode a PEM CSR: subject, names, key, signature and problems; with domain_id, the names it adds or drops against that domain's current certificate. A CSR that cannot be read is a 400 with the reason",
    responses: { 200: "DecodedCsr" },
    document: `query ($input: DecodeCsrInput!) { decodeCsr(input: $input) {
      subject subjectParts names hasSubjectAltName keyType keySize signatureAlgorithm signatureValid problems
    } }`,
    variables: ({ body }) => ({ input: camelKeys(body) }),
    render: ({ decodeCsr }) => {
      const c = decodeCsr as Row;
      return {
        status: 200,
        body: {
          subject: c.subject,
          subject_parts: c.subjectParts,
          names: c.names,
          has_subject_alt_name: c.hasSubjectAltName,
          key_type: c.keyType,
          key_size: c.keySize,
          signature_algorithm: c.signatureAlgorithm,
          signature_valid: c.signatureValid,
          problems: c.problems,
        },
      };
    },
  },
];
