export { sendMessageWorkflow } from './send-message';
export { wordpressSyncWorkflow } from './wordpress-sync';
export { autoReplyWorkflow } from './auto-reply';
export { broadcastWorkflow } from './broadcast';
export { statusPostWorkflow } from './status-post';
export { templatesSyncWorkflow } from './templates-sync';
export { eventDeliveryWorkflow } from './event-delivery';
export { sequenceEnrollmentWorkflow } from './sequence-enrollment';

// The workflow type is the exported name. Workflows started under these earlier names (running now, or
// in recorded histories) must still find their code, so the names stay registered beside the new ones.
export { autoReplyWorkflow as autoReply } from './auto-reply';
export { statusPostWorkflow as statusWorkflow } from './status-post';
// Started by nothing any more; registered only under the type name its last running workflows have.
export { deliveryStatusWorkflow as deliveryStatus } from './delivery-status';
