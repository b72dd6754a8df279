export { sendMessageWorkflow } from './send-message';
