// Page-number pagination, the shape the REST list endpoints return, and the one helper that makes a
// `XPage { data, pagination }` type for any item type.
import type { ObjectRef } from "@pothos/core";
import { builder } from "./builder.js";

export interface PageInfo {
  page: number;
  perPage: number;
  total: number;
}

export type Page<T> = PageInfo & { data: T[] };

export const Pagination = builder.objectRef<PageInfo>("Pagination").implement({
  fields: (t) => ({
    page: t.exposeInt("page"),
    perPage: t.exposeInt("perPage"),
    total: t.exposeInt("total"),
    totalPages: t.int({ resolve: (info) => Math.ceil(info.total / info.perPage) }),
  }),
});

/**
 * The cost of a paged field: 1, plus what is selected under it once per row the page may hold
 * (per_page, 20 by default, capped at 100 like the page itself).
 */
export const pageComplexity = (args: { perPage?: number | null }) => ({
  field: 1,
  multiplier: Math.min(100, Math.max(1, args.perPage ?? 20)),
});

/** `${name}`: one page of `item`s and where it stands among them. */
export function pageOf<T>(name: string, item: ObjectRef<typeof builder.$inferSchemaTypes, T>) {
  return builder.objectRef<Page<T>>(name).implement({
    fields: (t) => ({
      data: t.field({ type: [item], resolve: (page) => page.data }),
      pagination: t.field({ type: Pagination, resolve: (page) => page }),
    }),
  });
}
