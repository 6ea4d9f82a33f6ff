import { runService } from '@assemblr/shared';
import { createExecutorApp } from './executor.app';
import { loadExecutorConfig } from './executor.config';

runService('executor', async (logger) => {
  const app = await createExecutorApp(loadExecutorConfig(), logger);
  return { close: () => app.close() };
});
