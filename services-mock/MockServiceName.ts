/** The mock services, in the order `npm run mocks` starts them. */
export const MOCK_SERVICE_NAMES = ['accounts', 'products', 'inventory', 'reviews', 'shipping'] as const;

export type MockServiceName = (typeof MOCK_SERVICE_NAMES)[number];

/**
 * Fixed ports of `npm run mocks`, on 127.0.0.1. 4201–4205 stay clear of the services this machine runs
 * anyway (4222 NATS, 5432, 5672, 6379, 3306, 1883).
 */
export const MOCK_PORTS: Readonly<Record<MockServiceName, number>> = Object.freeze({
  accounts: 4201,
  products: 4202,
  inventory: 4203,
  reviews: 4204,
  shipping: 4205,
});

export function isMockServiceName(value: string): value is MockServiceName {
  return (MOCK_SERVICE_NAMES as readonly string[]).includes(value);
}
