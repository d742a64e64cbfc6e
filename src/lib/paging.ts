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
