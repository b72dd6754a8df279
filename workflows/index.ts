export { sendMessageWorkflow } from './send-message';
export { wordpressSyncWorkflow } from './wordpress-sync';
export { autoReply } from './auto-reply';
export { deliveryStatus } from './delivery-status';
export { broadcastWorkflow } from './broadcast';
export { statusWorkflow } from './publish-status';
export { templatesSyncWorkflow } from './templates-sync';
export { eventDeliveryWorkflow } from './event-delivery';
