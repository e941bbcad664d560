/**
 * What the reviews service knows of entities owned elsewhere: their keys, plus `username`, which it
 * provides on `Review.author` (`@provides(fields: "username")`).
 */
export interface UserReference {
  readonly id: string;
  readonly username?: string | null;
}

export interface ProductReference {
  readonly upc: string;
}
