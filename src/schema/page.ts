// Page-number pagination, the shape the REST list endpoints return.
import { builder } from "./builder.js";

export interface PageInfo {
  page: number;
  perPage: number;
  total: number;
}

export const Pagination = builder.objectRef<PageInfo>("Pagination").implement({
  fields: (t) => ({
    page: t.exposeInt("page"),
    perPage: t.exposeInt("perPage"),
    total: t.exposeInt("total"),
    totalPages: t.int({ resolve: (info) => Math.ceil(info.total / info.perPage) }),
  }),
});
