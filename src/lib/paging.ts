// Page-number paging as the REST API defines it: page from 1, per_page 1-100 (default 20).
import { z } from "zod";

const perPageMessage = "per_page must be between 1 and 100";

export const pagingFields = {
  page: z
    .number()
    .int()
    .min(1, "page must be a positive integer")
    .nullish()
    .transform((v) => v ?? 1),
  perPage: z
    .number()
    .int()
    .min(1, perPageMessage)
    .max(100, perPageMessage)
    .nullish()
    .transform((v) => v ?? 20),
};

export const pagingSchema = z.object(pagingFields);
export type PagingInput = { page?: number | null; perPage?: number | null };

/** One page of rows and the total, read side by side, in the shape every list returns. */
export async function readPage<T>(
  { page, perPage }: { page: number; perPage: number },
  rows: (window: { skip: number; take: number }) => Promise<T[]>,
  count: () => Promise<number>,
) {
  const [data, total] = await Promise.all([rows({ skip: (page - 1) * perPage, take: perPage }), count()]);
  return { data, page, perPage, total };
}
