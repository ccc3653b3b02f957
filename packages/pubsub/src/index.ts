export { type MessageListener, type PubSub, type PubSubOptions, createRedisPubSub } from './pubsub.ts';
