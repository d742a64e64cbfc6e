// /domains: list, create, get, update, delete.

import { domainJson, domainListItemJson } from "../../../domains/domain-json.js";
import { camelKeys, type Route, upperEnums } from "../route.js";
import { DOMAIN_FIELDS, DOMAIN_LIST_FIELDS, pagination } from "../selections.js";

type Row = Record<string, unknown>;

export const domainRoutes: Route[] = [
  {
    method: "GET",
    path: "/domains",
    summary: "List the caller's domains, a page at a time, filtered and sorted",
    responses: { 200: "DomainPage" },
    document: `query ($page: Int, $perPage: Int, $status: DomainStatusFilter, $search: String, $sort: DomainSort, $order: SortOrder) {
      domains(page: $page, perPage: $perPage, status: $status, search: $search, sort: $sort, order: $order) {
        data { ${DOMAIN_LIST_FIELDS} }
        pagination { page perPage total totalPages }
      }
    }`,
    query: {
      page: "page",
      per_page: "perPage",
      status: "status",
      search: "search",
      sort: "sort",
      order: "order",
    },
    render: ({ domains }) => {
      const page = domains as { data: Row[]; pagination: Row };
      return {
        status: 200,
        body: { data: page.data.map(domainListItemJson), pagination: pagination(page.pagination) },
      };
    },
  },
  {
    method: "POST",
    path: "/domains",
    summary: "Add a domain to monitor; its first checks are queued",
    responses: { 201: "Domain" },
    oneOfRequired: ["hostname", "url"],
    document: `mutation ($input: CreateDomainInput!) { createDomain(input: $input) { ${DOMAIN_FIELDS} } }`,
    variables: ({ body }) => ({ input: upperEnums(camelKeys(body), ["startTls"]) }),
    render: ({ createDomain }) => ({ status: 201, body: domainJson(createDomain as Row) }),
  },
  {
    method: "GET",
    path: "/domains/:id",
    summary: "One domain",
    responses: { 200: "Domain" },
    document: `query ($id: ID!) { domain(id: $id) { ${DOMAIN_FIELDS} } }`,
    variables: ({ params }) => ({ id: params.id }),
    render: (data) => ({ status: 200, body: domainJson(data.domain as Row) }),
  },
  {
    method: "PUT",
    path: "/domains/:id",
    summary: "Change a domain; a new target clears its old results and queues checks",
    responses: { 200: "Domain" },
    document: `mutation ($id: ID!, $input: UpdateDomainInput!) { updateDomain(id: $id, input: $input) { ${DOMAIN_FIELDS} } }`,
    variables: ({ params, body }) => ({ id: params.id, input: upperEnums(camelKeys(body), ["startTls"]) }),
    render: ({ updateDomain }) => ({ status: 200, body: domainJson(updateDomain as Row) }),
  },
  {
    method: "DELETE",
    path: "/domains/:id",
    summary: "Delete a domain with its checks and alerts",
    responses: { 200: "Message" },
    document: "mutation ($id: ID!) { deleteDomain(id: $id) }",
    variables: ({ params }) => ({ id: params.id }),
    render: () => ({ status: 200, body: { message: "Domain deleted" } }),
  },
];
