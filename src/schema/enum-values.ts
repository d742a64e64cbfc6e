// GraphQL enum values from the lower-case values the model and REST use: `ssl_expiry` → SSL_EXPIRY.
export const upperValues = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((value) => [value.toUpperCase(), { value }])) as Record<
    Uppercase<T>,
    { value: T }
  >;
