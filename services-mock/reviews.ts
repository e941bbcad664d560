import type { GraphQLSchema } from 'graphql';
import type { Resolvers } from '../src/generated/services-mock/reviews.js';
import type { BenchData, ReviewRow } from './BenchData.js';
import type { UserReference } from './EntityReference.js';
import { buildMockSubgraphSchema } from './buildMockSubgraphSchema.js';

/**
 * reviews (Federation v2): owns `Review`, adds `reviews` to `User` and `Product`. Its rules are the benchmark
 * reference service's, which expected-response.json encodes: every review's author is the first user (with
 * the username it provides), and every user's reviews are the first two reviews.
 */
export function createReviewsSchema(data: BenchData): GraphQLSchema {
  const reviewsById = new Map(data.reviews.map((review) => [review.id, review]));
  const reviewsByUpc = groupBy(data.reviews, (review) => review.productUpc);
  const firstUser = data.users[0];
  const author: UserReference | null = firstUser ? { id: firstUser.id, username: firstUser.username } : null;
  const userReviews = data.reviews.slice(0, 2);

  const resolvers: Resolvers = {
    Review: {
      __resolveReference: ({ id }) => reviewsById.get(id) ?? null,
      product: (review) => ({ upc: review.productUpc }),
      author: () => author,
    },
    User: {
      __resolveReference: ({ id }) => ({ id }),
      reviews: () => userReviews,
    },
    Product: {
      __resolveReference: ({ upc }) => ({ upc }),
      reviews: ({ upc }) => reviewsByUpc.get(upc) ?? [],
    },
  };
  return buildMockSubgraphSchema('reviews', resolvers);
}

function groupBy(rows: readonly ReviewRow[], keyOf: (row: ReviewRow) => string): Map<string, ReviewRow[]> {
  const groups = new Map<string, ReviewRow[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
