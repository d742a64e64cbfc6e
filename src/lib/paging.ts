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

/** The rows a page covers, as Prisma's skip and take. */
export const pageWindow = ({ page, perPage }: { page: number; perPage: number }) => ({
  skip: (page - 1) * perPage,
  take: perPage,
});

/**
 * One page of rows and the total, in the shape every list returns. A page that is not full is the
 * last one, so it tells the total itself; only a full page (or one past the end) costs a count.
 */
export async function readPage<T>(
  { page, perPage }: { page: number; perPage: number },
  rows: (window: { skip: number; take: number }) => Promise<T[]>,
  count: () => Promise<number>,
) {
  const { skip, take } = pageWindow({ page, perPage });
  const data = await rows({ skip, take });
  const last = data.length < perPage && (data.length > 0 || skip === 0);
  return { data, page, perPage, total: last ? skip + data.length : await count() };
}
