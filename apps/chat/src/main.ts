import { runService } from '@assemblr/shared';
import { createChatApp } from './chat.app';
import { loadChatConfig } from './chat.config';

runService('chat', async (logger) => {
  const app = await createChatApp(loadChatConfig(), logger);
  return { close: () => app.close() };
});
