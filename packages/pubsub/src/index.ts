export { type MessageListener, type PubSub, type PubSubOptions, createRedisPubSub } from './pubsub.ts';
export { type TestRedis, startTestRedis } from './test-redis.ts';
